// RSS after 100k requests (issue 16: ≤ 1.6× raw Node's), side by side with the raw pass-through
// in the same run: each in its own child (spawn-server.mjs, with its own fake upstream), loaded
// with the same non-streaming and streaming requests at c=32 until it has served --rss-requests
// (bounded in time), RSS read after. Shimmy's bench tool has a USD budget here, so its token
// counts (the tokenizer's encodings) are in the figure, as on a laptop whose tools have budgets.
import { runLoad } from './load.mjs';
import { spawnServer } from './spawn-server.mjs';

const MAX_MS = 240_000;
const SLICE_MS = 5_000;

async function loadUntil(target, requests, bodies, log) {
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
  }
  return done;
}

/** @param {{ requests?: number, bodies: {body: string, check: Function}[], log?: Function }} o */
export async function runRssBench({ requests = 100_000, bodies, log = console.log }) {
  log(`\nRSS after ${requests} requests (c=32, plain and streamed alternating; Shimmy's tool under a USD budget):`);
  const out = {};
  for (const name of ['raw', 'shimmy']) {
    const server = await spawnServer(name, name === 'shimmy' ? { budgetUsd: 1_000_000 } : {});
    try {
      const before = await server.stats();
      const done = await loadUntil({ name, url: server.url, token: server.token }, requests, bodies, log);
      const after = await server.stats();
      out[name] = { requests: done, rssStartBytes: before.rssBytes, rssBytes: after.rssBytes, heapUsedBytes: after.heapUsedBytes };
    } finally {
      await server.stop();
    }
  }
  const mb = (b) => (b / 2 ** 20).toFixed(1);
  out.ratio = out.shimmy.rssBytes / out.raw.rssBytes;
  for (const name of ['raw', 'shimmy'])
    log(`  ${name.padEnd(7)} ${mb(out[name].rssStartBytes)} → ${mb(out[name].rssBytes)} MB after ${out[name].requests} requests (heap used ${mb(out[name].heapUsedBytes)} MB)`);
  log(`  Shimmy / raw: ${out.ratio.toFixed(2)}× (target ≤ 1.6×: ${out.ratio <= 1.6 ? 'PASS' : 'MISS'})`);
  return out;
}
