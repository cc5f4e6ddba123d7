// Issue 16's big-body figures: 20 MB `stream: true` chat requests without stream_options (Shimmy
// adds include_usage by splicing the client's bytes), raw node:http pass-through vs Shimmy vs Shimmy
// with its bench tool under a USD budget (every body token-counted), each in a child of its own in
// front of one fake upstream in another child (an upstream in the proxy's process buffered each
// 20 MB body it received: its copies were the longest blocks and ~100 MB of either proxy's RSS).
// Per target: throughput at c=2, the longest event-loop block meanwhile (and the longest with the
// main thread's CPU to show for it), peak RSS at 8 concurrent and RSS once they are done.
//
// What the block figures leave out (both were counted as the proxy's blocks before): the full GCs
// the bench forces to read a settled RSS (a Mark-Compact of the whole heap, ~10–60 ms, that no
// request causes), and the bench's own questions to the child (its stats handler builds Shimmy's
// spend snapshot): RSS and CPU during a pass are read from /proc, and the child resets its loop
// figures only once its probes have seen the handler's own work (server-child.mjs).
//
// `node scripts/bench/bodies.mjs [--targets raw,shimmy,shimmy$] [--rounds 1] [--profile DIR]
// [--trace-gc] [--block-log MS] [--base DIST --targets raw,base,shimmy,base$,shimmy$]`;
// `npm run bench -- --streams` runs it (streams.mjs, part `bodies`). --base runs targets base and
// base$ from another build's dist/ (an A/B with the same bench in one run). --profile writes DIR/<target>.cpuprofile for each Shimmy child; --trace-gc and
// --block-log print each child's GCs and every event-loop block of at least MS ms (with the time
// since start, as --trace-gc prints it, and the main thread's CPU meanwhile) to match them up;
// with both --profile and --block-log, profile-blocks.mjs prints what each block was made of.
// Needs dist/ (`npm run build:core`). Every load is bounded in count and time.
import { mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { spawnServer } from './spawn-server.mjs';

const PATH = '/v1/chat/completions';
const mb = (b) => (b / 2 ** 20).toFixed(1);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** A realistic 20 MB agent context: 2,000 turns of ~10 kB, no stream_options. */
export function bigBody(bytes) {
  const turn = 'The build failed in step 3 because the cache key changed; here is the log. '.repeat(135);
  const messages = [];
  let size = 0;
  for (let i = 0; size < bytes - 200; i++) {
    const m = { role: i % 2 ? 'assistant' : 'user', content: `${i}: ${turn}` };
    size += JSON.stringify(m).length + 1;
    messages.push(m);
  }
  return Buffer.from(JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages }));
}

const TARGETS = {
  raw: { role: 'raw' },
  shimmy: { role: 'shimmy' },
  shimmy$: { role: 'shimmy', budgetUsd: 1000 },
  // --base DIST: the same two from another build's dist/ (an A/B in one run).
  base: { role: 'shimmy', base: true },
  base$: { role: 'shimmy', budgetUsd: 1000, base: true },
};

async function startTargets(names, { profileDir, traceGc, blockLogMs, baseDist }) {
  const upstream = await spawnServer('direct');
  const targets = [];
  for (const name of names) {
    const { role, budgetUsd, base } = TARGETS[name];
    if (base && !baseDist) throw new Error(`target ${name} needs --base DIST`);
    const server = await spawnServer(role, {
      env: base ? { BENCH_CORE_DIST: baseDist } : {},
      upstreamUrl: upstream.url,
      busyBlocks: true,
      budgetUsd,
      execArgv: traceGc ? ['--trace-gc'] : [],
      blockLogMs,
      ...(profileDir && role === 'shimmy' ? { cpuProfile: join(profileDir, `${name}.cpuprofile`) } : {}),
    });
    if (blockLogMs || profileDir) console.log(`  ${name}: pid ${server.pid}`);
    targets.push({
      name,
      server,
      url: server.url,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token ?? 'sk-bench'}` },
    });
  }
  return { targets, upstream };
}

/** One request of `body`, its answer read to the end; the error text when it failed. */
async function send(t, agent, body) {
  try {
    const res = await request(t.url + PATH, {
      method: 'POST',
      headers: { ...t.headers, 'x-bench-answer': 'big' },
      body,
      dispatcher: agent,
      headersTimeout: 120_000,
      bodyTimeout: 120_000,
      signal: AbortSignal.timeout(120_000),
    });
    const text = await res.body.text();
    return res.statusCode === 200 ? undefined : `HTTP ${res.statusCode}: ${text.slice(0, 300)}`;
  } catch (err) {
    return String(err?.code ?? err?.message ?? err);
  }
}

/** The child's resident set (Linux /proc; the child's own figure elsewhere is asked of it). */
function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]) * 1024;
}

/** The child's main thread's CPU time in µs (Linux schedstat, ns), read without asking it. */
function mainThreadCpuMicros(pid) {
  return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'latin1').split(' ')[0]) / 1000;
}

/** A forced full GC in the child, then a pause so the loop probes have seen it, then a reset:
 *  what the bench does to read RSS is not counted as a block of the proxy's. */
async function settle(t) {
  const { rssBytes } = await t.server.stats({ gc: true });
  await pause(100);
  await t.server.stats({ resetLoop: true });
  return rssBytes;
}

async function measure(t, body, count, concurrency, peakConcurrency) {
  const agent = new Agent({ connections: null, pipelining: 1, keepAliveTimeout: 5_000 });
  let failed;
  // Throughput and the longest event-loop block, `count` requests at c=concurrency.
  await settle(t);
  const cpu0 = mainThreadCpuMicros(t.server.pid);
  const t0 = performance.now();
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      failed ??= await send(t, agent, body);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  const passCpu = mainThreadCpuMicros(t.server.pid);
  const pass = await t.server.stats({ resetLoop: true });
  // Peak RSS with `peakConcurrency` bodies in flight at once, sampled every 20 ms, from a settled
  // process (the dead buffers of the throughput pass are not what 8 bodies in flight hold).
  const idle = await settle(t);
  // RSS read from /proc, not asked of the child: a stats message runs in the child's event loop
  // (and Shimmy's builds its spend snapshot, 20–50 ms of time-zone work on a loaded VM), which the
  // loop probes then counted as the proxy's own block.
  let peak = idle;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, rssOf(t.server.pid));
      await pause(20);
    }
  })();
  const errors = await Promise.all(Array.from({ length: peakConcurrency }, () => send(t, agent, body)));
  sampling = false;
  await sampler;
  const burst = await t.server.stats({ resetLoop: true });
  // What the process keeps once the burst is over (after a full GC and a moment for the freed
  // buffers to be released): an allocator that keeps freed 20 MB blocks shows here.
  await t.server.stats({ gc: true });
  await pause(1_000);
  const after = (await t.server.stats({ gc: true })).rssBytes;
  await agent.close();
  return {
    reqPerS: count / elapsed,
    // The event loop's own CPU per body (main thread, /proc): what a body costs the loop however
    // loaded the machine is; wall-clock throughput swings 3x between rounds at a load of 10.
    cpuMsPerBody: (passCpu - cpu0) / 1000 / count,
    mbPerS: (count * body.length) / 2 ** 20 / elapsed,
    loopMaxMs: Math.max(pass.loopMaxMs, burst.loopMaxMs),
    loopBusyMaxMs: Math.max(pass.loopBusyMaxMs, burst.loopBusyMaxMs),
    idleRssBytes: idle,
    peakRssBytes: peak,
    afterRssBytes: after,
    firstError: failed ?? errors.find(Boolean),
  };
}

/** Runs every target `rounds` times (targets alternated within a round); returns the worst block
 *  and the highest peak of each, with the per-round rows. */
export async function runBodiesBench(opts = {}) {
  // By default every target this run can start: the base ones only with --base.
  const names = opts.targets ?? Object.keys(TARGETS).filter((n) => opts.baseDist || !TARGETS[n].base);
  const rounds = opts.rounds ?? 1;
  if (opts.profileDir) mkdirSync(opts.profileDir, { recursive: true });
  console.log(`\nBig bodies (issue 16): ${names.join(', ')}, ${rounds} round(s); load ${load()}`);
  const body = bigBody(20 * 2 ** 20);
  const { targets, upstream } = await startTargets(names, opts);
  const out = { loadAverage: loadavg(), rounds: [] };
  try {
    for (let r = 0; r < rounds; r++) {
      const row = {};
      for (const t of targets) {
        const m = (row[t.name] = await measure(t, body, 8, 2, 8));
        console.log(
          `  ${mb(body.length)} MB bodies ${t.name.padEnd(7)} ${m.mbPerS.toFixed(0)} MB/s (${m.reqPerS.toFixed(2)} req/s at c=2, ${m.cpuMsPerBody.toFixed(0)} ms main-thread CPU per body), longest loop block ${m.loopMaxMs.toFixed(0)} ms (${m.loopBusyMaxMs.toFixed(0)} ms with the CPU to show for it), RSS ${mb(m.idleRssBytes)} → peak ${mb(m.peakRssBytes)} MB at 8 concurrent → ${mb(m.afterRssBytes)} MB after (load ${load()})${m.firstError ? `, error: ${m.firstError}` : ''}`,
        );
      }
      out.rounds.push(row);
    }
  } finally {
    for (const t of targets) await t.server.stop();
    await upstream.stop();
  }
  for (const name of names) {
    const rows = out.rounds.map((r) => r[name]);
    out[name] = {
      ...rows[0],
      loopMaxMs: Math.max(...rows.map((m) => m.loopMaxMs)),
      loopBusyMaxMs: Math.max(...rows.map((m) => m.loopBusyMaxMs)),
      peakRssBytes: Math.max(...rows.map((m) => m.peakRssBytes)),
      mbPerS: rows.reduce((n, m) => n + m.mbPerS, 0) / rows.length,
      cpuMsPerBody: rows.reduce((n, m) => n + m.cpuMsPerBody, 0) / rows.length,
    };
  }
  const raw = out.raw;
  const weight = 8 * 20;
  for (const name of names.filter((n) => n !== 'raw')) {
    const s = out[name];
    console.log(
      `20 MB bodies, ${name.replace('$', ' with a USD budget')}: ${raw ? `throughput ${((100 * s.mbPerS) / raw.mbPerS).toFixed(0)}% of raw; main-thread CPU per body ${s.cpuMsPerBody.toFixed(0)} ms vs raw ${raw.cpuMsPerBody.toFixed(0)} ms; ` : ''}longest loop block ${s.loopMaxMs.toFixed(0)} ms (${s.loopBusyMaxMs.toFixed(0)} ms busy)${raw ? ` vs raw ${raw.loopMaxMs.toFixed(0)} ms (${raw.loopBusyMaxMs.toFixed(0)} ms busy)` : ''} (target ≤ 20 ms); peak RSS at 8 concurrent: ${mb(s.peakRssBytes)} MB (+${mb(s.peakRssBytes - s.idleRssBytes)})${raw ? `, raw ${mb(raw.peakRssBytes)} MB (+${mb(raw.peakRssBytes - raw.idleRssBytes)})` : ''}; RSS after: ${mb(s.afterRssBytes)} MB; the bodies weigh ${weight} MB (target ≤ ${2 * weight} MB)`,
    );
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      targets: { type: 'string' },
      rounds: { type: 'string', default: '1' },
      profile: { type: 'string' },
      'trace-gc': { type: 'boolean', default: false },
      'block-log': { type: 'string' },
      base: { type: 'string' },
    },
  });
  await runBodiesBench({
    targets: values.targets?.split(','),
    rounds: Number(values.rounds),
    profileDir: values.profile,
    traceGc: values['trace-gc'],
    blockLogMs: values['block-log'] ? Number(values['block-log']) : undefined,
    baseDist: values.base,
  });
}
