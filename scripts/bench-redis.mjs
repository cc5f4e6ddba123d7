// `node scripts/bench-redis.mjs` (after `npm run build:core`): proxy throughput with the limits in
// Redis (`serve --redis`) as a ratio to the same Shimmy with its limits in memory, in one run.
// Both targets have a USD budget and an RPM limit (so every request reads the headroom and runs the
// reserve script, then settles), non-streaming c=32 against their own loopback upstream; the rounds
// alternate the targets and the verdict is the median of per-round ratios (this VM drifts).
// Redis is Debian's redis-server on a free loopback port, no persistence, stopped by PID.
// Flags: --duration MS (4000 per target and round) --rounds N (4) --jit-warmup MS (2000).
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad, summarize } from './bench/load.mjs';
import { spawnServer } from './bench/spawn-server.mjs';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '4000' },
    rounds: { type: 'string', default: '4' },
    'jit-warmup': { type: 'string', default: '2000' },
  },
});
const body = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Why should a local API proxy meter every request?' }],
  max_tokens: 64,
});
const isCompletion = (status, text) => status === 200 && text.includes('"completion_tokens"');

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const pong = (port) =>
  new Promise((resolve) => {
    const c = createConnection({ host: '127.0.0.1', port });
    c.once('connect', () => c.write('PING\r\n'));
    c.once('data', (d) => (c.destroy(), resolve(d.toString().startsWith('+PONG'))));
    c.once('error', () => resolve(false));
  });

async function startRedis() {
  const dir = await mkdtemp(join(tmpdir(), 'shimmy-bench-redis-'));
  const port = await freePort();
  const child = spawn(
    '/usr/bin/redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 200 && !(await pong(port)); i++) await new Promise((r) => setTimeout(r, 50));
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) process.kill(child.pid, 'SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function startTarget(name, redisUrl) {
  // A budget and an RPM that never refuse: every request takes the whole limits path.
  process.env.BENCH_TOOL_LIMITS = JSON.stringify({ dailyUsd: 1_000_000, rpm: 100_000_000 });
  if (redisUrl) process.env.BENCH_REDIS = redisUrl;
  else delete process.env.BENCH_REDIS;
  const server = await spawnServer('shimmy');
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${server.token}` };
  return { name, server, headers };
}

const load = (t, warmupMs, durationMs) =>
  runLoad({
    url: t.server.url,
    path: '/v1/chat/completions',
    headers: t.headers,
    body,
    concurrency: 32,
    warmupMs,
    durationMs,
    check: isCompletion,
  });

const redis = await startRedis();
const targets = [];
try {
  targets.push(await startTarget('memory'), await startTarget('redis', redis.url));
  for (const t of targets) await load(t, 0, Number(args['jit-warmup']));
  const ratios = [];
  const rows = [];
  for (let round = 0; round < Math.max(1, Number(args.rounds)); round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    const got = {};
    for (const t of order) {
      const run = await load(t, 150, Number(args.duration));
      got[t.name] = summarize(run);
      if (run.errors) console.log(`${t.name}: ${run.errors} errors, first: ${run.firstError}`);
    }
    ratios.push(got.redis.rps / got.memory.rps);
    rows.push(got);
    console.log(
      `round ${round + 1}: memory ${got.memory.rps.toFixed(0)} req/s (p50 ${got.memory.p50Ms.toFixed(2)} ms), ` +
        `redis ${got.redis.rps.toFixed(0)} req/s (p50 ${got.redis.p50Ms.toFixed(2)} ms), ratio ${(ratios.at(-1) * 100).toFixed(0)}%`,
    );
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const med = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  console.log(
    `\nthroughput with --redis, c=32, non-streaming: ${(med * 100).toFixed(0)}% of in-memory limits (median of ${ratios.length} rounds)`,
  );
  const artifacts = join(import.meta.dirname, '../test-artifacts');
  await mkdir(artifacts, { recursive: true });
  await writeFile(
    join(artifacts, 'bench-redis.json'),
    JSON.stringify({ rounds: rows, ratios, medianRatio: med }, null, 2),
  );
} finally {
  for (const t of targets) await t.server.stop();
  await redis.stop();
}
