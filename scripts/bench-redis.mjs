// `node scripts/bench-redis.mjs` (after `npm run build:core`): what shared limits in Redis cost the
// proxy, in one run, against the raw node:http pass-through as the floor. Four targets, each a
// forked server child with its own loopback fake upstream: the upstream alone (`direct`, whose CPU
// is subtracted to get a proxy's own), `raw`, Shimmy with its limits in memory, and Shimmy with
// `--redis` (Debian's redis-server on a free loopback port, no persistence, stopped by PID). Both
// Shimmys have a USD budget and an RPM limit that never refuse, so every request takes the whole
// limits path: in Redis, the headroom read and the reserve script before it goes out, the settle
// script after. Non-streaming, c=32. Each round runs every target once, in a rotated order (this
// VM's speed drifts within a minute); figures are the median of the rounds with their spread
// (min–max), throughput also as ratios to raw and redis/memory per round. CPU per request: the
// child's own (minus direct's), and for `redis` also redis-server's. The load average is printed
// beside them. Flags: --duration MS (3000 per target and round) --rounds N (5) --jit-warmup MS (2000).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, createConnection } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad, summarize } from './bench/load.mjs';
import { spawnServer } from './bench/spawn-server.mjs';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '5' },
    'jit-warmup': { type: 'string', default: '2000' },
  },
});
const durationMs = Number(args.duration);
const rounds = Math.max(1, Number(args.rounds));
const body = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Why should a local API proxy meter every request?' }],
  max_tokens: 64,
});
const isCompletion = (status, text) => status === 200 && text.includes('"completion_tokens"');
const load1 = () => loadavg()[0].toFixed(1);

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

/** CPU µs a process has used (user + system), from /proc (Linux). */
const TICK_US = 1e6 / 100; // USER_HZ is 100 on Linux
function procCpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_US; // utime, stime
}

async function startRedis() {
  const dir = await mkdtemp(join(tmpdir(), 'shimmy-bench-redis-'));
  const port = await freePort();
  const child = spawn(
    '/usr/bin/redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 200 && !(await pong(port)); i++) await new Promise((r) => setTimeout(r, 50));
  return {
    url: `redis://127.0.0.1:${port}`,
    cpuMicros: () => procCpuMicros(child.pid),
    async stop() {
      if (child.exitCode === null) process.kill(child.pid, 'SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function startTarget(name, redis) {
  const env = process.env;
  // A budget and an RPM that never refuse: every request takes the whole limits path.
  if (name === 'memory' || name === 'redis')
    env.BENCH_TOOL_LIMITS = JSON.stringify({ dailyUsd: 1_000_000, rpm: 100_000_000 });
  else delete env.BENCH_TOOL_LIMITS;
  if (name === 'redis') env.BENCH_REDIS = redis.url;
  else delete env.BENCH_REDIS;
  const server = await spawnServer(name === 'memory' || name === 'redis' ? 'shimmy' : name);
  const headers = {
    'content-type': 'application/json',
    authorization: `Bearer ${server.token ?? 'sk-bench'}`,
  };
  return { name, server, headers, redis: name === 'redis' ? redis : null };
}

/** One load of `t`; req/s and CPU µs per completed request (warm-up included on both sides). */
async function measure(t, warmupMs, ms) {
  const before = (await t.server.stats()).cpuMicros;
  const redisBefore = t.redis?.cpuMicros() ?? 0;
  const run = await runLoad({
    url: t.server.url,
    path: '/v1/chat/completions',
    headers: t.headers,
    body,
    concurrency: 32,
    warmupMs,
    durationMs: ms,
    check: isCompletion,
  });
  const cpu = (await t.server.stats()).cpuMicros - before;
  const redisCpu = t.redis ? t.redis.cpuMicros() - redisBefore : 0;
  if (run.errors) console.log(`  ${t.name}: ${run.errors} errors, first: ${run.firstError}`);
  return {
    ...summarize(run),
    cpuUs: cpu / run.completed,
    redisCpuUs: t.redis ? redisCpu / run.completed : null,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length / 2;
  return s.length % 2 ? s[Math.floor(m)] : (s[m - 1] + s[m]) / 2;
};
const spread = (xs, f) => `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
const pct = (x) => `${(x * 100).toFixed(0)}%`;
const us = (x) => `${x.toFixed(0)} µs`;

const NAMES = ['direct', 'raw', 'memory', 'redis'];
const loadAtStart = loadavg().map((x) => x.toFixed(1));
console.log(
  `Redis limits bench: ${cpus().length} cores, node ${process.version}; ${rounds} rounds × ${durationMs} ms per target, c=32, non-streaming; load average ${loadAtStart.join(' ')}`,
);
const redis = await startRedis();
const targets = [];
const perRound = [];
try {
  for (const name of NAMES) targets.push(await startTarget(name, redis));
  for (const t of targets) await measure(t, 0, Number(args['jit-warmup']));
  for (let round = 0; round < rounds; round++) {
    const got = { load1: Number(load1()) };
    for (let i = 0; i < targets.length; i++) {
      const t = targets[(i + round) % targets.length];
      got[t.name] = await measure(t, 150, durationMs);
    }
    perRound.push(got);
    console.log(
      `round ${round + 1} (load ${got.load1}): ` +
        NAMES.map((n) => `${n} ${got[n].rps.toFixed(0)}/s ${us(got[n].cpuUs)}`).join(', ') +
        ` + redis-server ${us(got.redis.redisCpuUs)}; redis/memory ${pct(got.redis.rps / got.memory.rps)}`,
    );
  }
  const col = (f) => perRound.map(f);
  const own = (n) => col((r) => r[n].cpuUs - r.direct.cpuUs);
  const summary = {
    rounds,
    durationMs,
    loadAverageStart: loadAtStart.map(Number),
    loadAverageEnd: loadavg().map((x) => Number(x.toFixed(1))),
    rps: Object.fromEntries(NAMES.map((n) => [n, median(col((r) => r[n].rps))])),
    ratios: {
      memoryToRaw: col((r) => r.memory.rps / r.raw.rps),
      redisToRaw: col((r) => r.redis.rps / r.raw.rps),
      redisToMemory: col((r) => r.redis.rps / r.memory.rps),
    },
    ownCpuUsPerRequest: { raw: own('raw'), memory: own('memory'), redis: own('redis') },
    redisServerCpuUsPerRequest: col((r) => r.redis.redisCpuUs),
    perRound,
  };
  console.log(
    `\nmedian of ${rounds} rounds (min–max), load average ${summary.loadAverageEnd.join(' ')} at the end:`,
  );
  console.log(
    `  throughput: raw ${summary.rps.raw.toFixed(0)}/s, memory ${summary.rps.memory.toFixed(0)}/s, redis ${summary.rps.redis.toFixed(0)}/s`,
  );
  console.log(
    `  ratios per round: memory/raw ${spread(summary.ratios.memoryToRaw, pct)}, redis/raw ${spread(summary.ratios.redisToRaw, pct)}, redis/memory ${spread(summary.ratios.redisToMemory, pct)}`,
  );
  console.log(
    `  proxy's own CPU per request (child minus direct): raw ${spread(own('raw'), us)}, memory ${spread(own('memory'), us)}, redis ${spread(own('redis'), us)} + redis-server ${spread(summary.redisServerCpuUsPerRequest, us)}`,
  );
  const artifacts = join(import.meta.dirname, '../test-artifacts');
  await mkdir(artifacts, { recursive: true });
  await writeFile(join(artifacts, 'bench-redis.json'), JSON.stringify(summary, null, 2));
} finally {
  for (const t of targets) await t.server.stop();
  await redis.stop();
}
