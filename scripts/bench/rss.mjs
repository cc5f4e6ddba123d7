// RSS after 100k requests (issue 16: ≤ 1.6× raw Node's), side by side with the raw pass-through
// in the same run: each in its own child (spawn-server.mjs, with its own fake upstream), loaded
// with the same non-streaming and streaming requests at c=32 until it has served --rss-requests
// (bounded in time), RSS read after. Shimmy's bench tool has a USD budget here, so its token
// counts (the tokenizer's encodings) are in the figure, as on a laptop whose tools have budgets.
// Alone: `node scripts/bench/rss.mjs [--requests N] [--trace]` (--trace: RSS, heap and external
// memory after every 5 s slice, and the heap after a full GC at the end, to see what grows).
import { parseArgs } from 'node:util';
import { runLoad } from './load.mjs';
import { spawnServer } from './spawn-server.mjs';

const MAX_MS = 240_000;
const SLICE_MS = 5_000;
const mb = (b) => (b / 2 ** 20).toFixed(1);

async function loadUntil(target, requests, bodies, log, trace) {
  const started = performance.now();
  let done = 0;
  let i = 0;
  while (done < requests && performance.now() - started < MAX_MS) {
    const b = bodies[i++ % bodies.length];
    const run = await runLoad({
      url: target.url,
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${target.token ?? 'sk-bench'}` },
      body: b.body,
      concurrency: 32,
      warmupMs: 0,
      durationMs: SLICE_MS,
      check: b.check,
    });
    done += run.completed;
    if (run.errors > 0) log(`    ${target.name}: ${run.errors} failed, first: ${run.firstError}`);
    if (trace) {
      const s = await target.stats();
      log(
        `    ${target.name} ${String(done).padStart(7)}: rss ${mb(s.rssBytes)} heap ${mb(s.heapUsedBytes)} external ${mb(s.externalBytes)} MB`,
      );
    }
  }
  return done;
}

/** @param {{ requests?: number, bodies: {body: string, check: Function}[], log?: Function, trace?: boolean }} o */
export async function runRssBench({ requests = 100_000, bodies, log = console.log, trace = false }) {
  log(
    `\nRSS after ${requests} requests (c=32, plain and streamed alternating; Shimmy's tool under a USD budget):`,
  );
  const out = {};
  for (const name of ['raw', 'shimmy']) {
    const server = await spawnServer(name, name === 'shimmy' ? { budgetUsd: 1_000_000 } : {});
    try {
      const before = await server.stats();
      const target = { name, url: server.url, token: server.token, stats: () => server.stats() };
      const done = await loadUntil(target, requests, bodies, log, trace);
      const after = await server.stats();
      out[name] = {
        requests: done,
        rssStartBytes: before.rssBytes,
        rssBytes: after.rssBytes,
        heapUsedBytes: after.heapUsedBytes,
      };
      if (trace) {
        const gc = await server.stats({ gc: true });
        log(
          `    ${name} after a full GC: rss ${mb(gc.rssBytes)} heap ${mb(gc.heapUsedBytes)} external ${mb(gc.externalBytes)} MB`,
        );
      }
    } finally {
      await server.stop();
    }
  }
  out.ratio = out.shimmy.rssBytes / out.raw.rssBytes;
  for (const name of ['raw', 'shimmy'])
    log(
      `  ${name.padEnd(7)} ${mb(out[name].rssStartBytes)} → ${mb(out[name].rssBytes)} MB after ${out[name].requests} requests (heap used ${mb(out[name].heapUsedBytes)} MB)`,
    );
  log(`  Shimmy / raw: ${out.ratio.toFixed(2)}× (target ≤ 1.6×: ${out.ratio <= 1.6 ? 'PASS' : 'MISS'})`);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { requests: { type: 'string', default: '100000' }, trace: { type: 'boolean' } },
  });
  // The same two requests as bench.mjs's non-streaming and streaming scenarios.
  const messages = [
    { role: 'system', content: 'You are a terse assistant that answers in one sentence.' },
    {
      role: 'user',
      content: 'Why should a local API proxy meter every request and enforce per-tool budgets?',
    },
  ];
  const plain = { model: 'gpt-4o-mini', messages, max_tokens: 64 };
  const bodies = [
    { body: JSON.stringify(plain), check: (s, t) => s === 200 && t.includes('"completion_tokens"') },
    {
      body: JSON.stringify({ ...plain, stream: true, stream_options: { include_usage: true } }),
      check: (s, t) => s === 200 && t.endsWith('data: [DONE]\n\n') && t.includes('"completion_tokens"'),
    },
  ];
  await runRssBench({ requests: Number(values.requests), bodies, trace: values.trace ?? false });
  process.exit(0);
}
