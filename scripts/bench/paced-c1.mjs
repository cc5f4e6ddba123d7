// `node scripts/bench/paced-c1.mjs [ROOT] [--gap MS] [--requests N]`: c=1 paced, one request every
// GAP ms (4), so the server's event loop goes to sleep between requests however loaded the machine
// is — as it does at c=1 on a quiet one. Prints, for raw and Shimmy (each in its own server child
// with its upstream, as in bench.mjs), the main thread's CPU and wake-ups per request and the p50.
// Why: with five sessions on this 2-core VM the wall-clock ratios of bench.mjs swing 2–5×, while
// work per request and wake-ups (each costs the loop tens of µs) hold still enough for an A/B.
// ROOT (default: this checkout) is a checkout whose dist/ and scripts/bench/ to run: another
// build can be compared with this one's scripts copied beside its dist.
import http from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args, positionals } = parseArgs({
  options: { gap: { type: 'string', default: '4' }, requests: { type: 'string', default: '1000' } },
  allowPositionals: true,
});
const root = resolve(positionals[0] ?? resolve(import.meta.dirname, '../..'));
const gapMs = Number(args.gap);
const requests = Number(args.requests);
const WARMUP = 2000; // back to back, unmeasured: the JIT's steady state, as in bench.mjs
const { spawnServer } = await import(pathToFileURL(resolve(root, 'scripts/bench/spawn-server.mjs')).href);

const body = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'You are a terse assistant that answers in one sentence.' },
    {
      role: 'user',
      content: 'Why should a local API proxy meter every request and enforce per-tool budgets?',
    },
  ],
  max_tokens: 64,
});
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function one(url, token) {
  return new Promise((done, fail) => {
    const u = new URL(url + '/v1/chat/completions');
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token ?? 'sk-bench'}` };
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? done() : fail(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

const lines = [];
for (const role of ['raw', 'shimmy']) {
  const server = await spawnServer(role, {});
  try {
    for (let i = 0; i < WARMUP; i++) await one(server.url, server.token);
    const before = await server.stats();
    const latencies = [];
    for (let i = 0; i < requests; i++) {
      const t = performance.now();
      await one(server.url, server.token);
      latencies.push(performance.now() - t);
      await sleep(gapMs);
    }
    const after = await server.stats();
    latencies.sort((a, b) => a - b);
    const per = (k) => (after[k] - before[k]) / requests;
    lines.push(
      `${role} main thread ${per('mainThreadCpuMicros').toFixed(0)} µs, wake-ups ${per('mainThreadWakeups').toFixed(2)}, p50 ${latencies[requests >> 1].toFixed(3)} ms`,
    );
  } finally {
    await server.stop();
  }
}
agent.destroy();
console.log(`paced c=1, every ${gapMs} ms, ${requests} requests (${root}): ${lines.join(' | ')}`);
