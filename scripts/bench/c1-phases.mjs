// Where one request's time goes at c=1: `node scripts/bench/c1-phases.mjs [shimmy|floor|raw]
// [--warmup MS] [--duration MS]`. The proxy under test and the fake upstream run in this process,
// the load generator (one request at a time) in a child; after the warm-up, each request's phases
// are timed from diagnostics_channel (a request starting / a response finishing, on the proxy's and
// the upstream's server) and a wrapped `res.end`: request start → the upstream sees it → the
// upstream's answer is finished → `res.end()` is called → returns → `finish` → the end of that turn
// (a setImmediate) → the next request starts. Prints the client's p50 and the mean of each phase.
// Diagnostic only (no verdict): the VM's speed flips between runs, so compare builds alternated.
import { fork } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startFakeUpstream } from './fake-upstream.mjs';
import { runLoad } from './load.mjs';
import { startMeteringFloor, startRawProxy } from './pass-through.mjs';
import { startShimmy } from './start-shimmy.mjs';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { warmup: { type: 'string', default: '4000' }, duration: { type: 'string', default: '4000' } },
});
const role = positionals[0] ?? 'shimmy';

const messages = [
  { role: 'system', content: 'You are a terse assistant that answers in one sentence.' },
  { role: 'user', content: 'Why should a local API proxy meter every request and enforce per-tool budgets?' },
];

if (role === 'load') {
  process.on('message', async (m) => {
    const run = await runLoad({
      url: m.url,
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${m.token}` },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages, max_tokens: 64 }),
      concurrency: 1,
      warmupMs: m.warmupMs,
      durationMs: m.durationMs,
      check: (status) => status === 200,
    });
    const sorted = [...run.latenciesMs].sort((a, b) => a - b);
    process.send({ p50: sorted[sorted.length >> 1] ?? NaN, n: sorted.length });
  });
} else {
  const fake = await startFakeUpstream();
  const starts = { shimmy: startShimmy, floor: startMeteringFloor, raw: startRawProxy };
  if (!starts[role]) throw new Error(`unknown target ${role}: shimmy, floor or raw`);
  const target = await starts[role](fake.url);
  const upstreamPort = Number(new URL(fake.url).port);
  const fromUpstream = (socket) => socket?.localPort === upstreamPort;

  let on = false;
  let requests = 0;
  const at = {};
  const sums = new Map();
  const add = (phase, ms) => sums.set(phase, (sums.get(phase) ?? 0) + ms);
  const end = ServerResponse.prototype.end;
  ServerResponse.prototype.end = function (...rest) {
    if (!on || fromUpstream(this.socket)) return end.apply(this, rest);
    at.endCalled = performance.now();
    const r = end.apply(this, rest);
    at.endReturned = performance.now();
    return r;
  };
  subscribe('http.server.request.start', ({ request }) => {
    if (!on) return;
    const now = performance.now();
    if (fromUpstream(request.socket)) at.upstreamIn = now;
    else {
      if (at.turnEnd !== undefined) add('end of turn → next request starts', now - at.turnEnd);
      at.start = now;
    }
  });
  subscribe('http.server.response.finish', ({ request }) => {
    if (!on) return;
    const now = performance.now();
    if (fromUpstream(request.socket)) {
      at.upstreamOut = now;
      return;
    }
    requests++;
    add('request start → the upstream sees it', at.upstreamIn - at.start);
    add("the upstream's own handling", at.upstreamOut - at.upstreamIn);
    add('upstream answer → res.end() called', at.endCalled - at.upstreamOut);
    add('res.end() itself', at.endReturned - at.endCalled);
    add('res.end() returned → finish', now - at.endReturned);
    setImmediate(() => {
      at.turnEnd = performance.now();
      add('finish → end of the turn', at.turnEnd - now);
    });
  });

  const child = fork(new URL(import.meta.url), ['load']);
  const ask = (m) => new Promise((resolve) => (child.once('message', resolve), child.send(m)));
  const token = target.token ?? 'sk-bench';
  await ask({ url: target.url, token, warmupMs: Number(args.warmup), durationMs: 1 });
  on = true;
  const result = await ask({ url: target.url, token, warmupMs: 1, durationMs: Number(args.duration) });
  on = false;
  console.log(
    `${role}: client p50 ${result.p50.toFixed(3)} ms over ${requests} requests; mean µs per request:`,
  );
  for (const [phase, ms] of sums) console.log(`  ${phase.padEnd(40)} ${((ms / requests) * 1000).toFixed(1)}`);
  child.kill();
  await target.close?.();
  process.exit(0);
}
