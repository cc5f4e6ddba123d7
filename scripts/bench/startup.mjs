// Start-up and first use (issue 16), side by side with raw Node in the same run:
// - time from spawning `shimmy serve` to its first proxied 200 (a tool with a USD budget, so that
//   request needs a token count), vs the smallest node:http proxy (startup-raw-child.mjs);
//   and the same with a saved price catalog in the data dir (what every start after a background
//   refresh finds);
// - the longest request in the first 2 s after that (nothing loading may hold one), vs raw's;
// - `shimmy --help`, `shimmy tool list`, `shimmy usage` vs `node -e 0`: a command's own start-up is
//   its wall time minus `node -e 0`'s in the same round, run against the instance that has just
//   served the 2 s above (so it includes the instance's answer, and whatever it still loads);
// - which packages `serve` loads before its first answer, with each one's own import time.
// Every figure is a median over --startup-rounds spawns (the CLI's over --cli-spawns per round, 7).
// `node scripts/bench/startup.mjs [--rounds N] [--cli-spawns N] [--root DIR] [--first-only]
// [--cache-entries N]` runs it alone (--root: another checkout's built dist/, e.g. for a
// before/after; --first-only: only the first-200 and longest-request figures; --cache-entries: the
// data dir's response cache holds N entries, as a user's who has used the cache does).
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { builtinModules } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startFakeUpstream } from './fake-upstream.mjs';

const HERE = import.meta.dirname;
const BODY = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Why should a local API proxy meter every request?' }],
  max_tokens: 64,
});
const POLL_LIMIT_MS = 60_000;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function freePort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/** One POST on a fresh connection: its status, or 0 when nothing listens yet. */
function post(port, token) {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/chat/completions',
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', () => resolve(0));
    req.end(BODY);
  });
}

/** CPU time (user + system, all threads) a process has used so far, in ms: Linux only (null elsewhere).
 *  Unlike wall time it barely moves with the machine's load, so it is the steadier comparison. */
async function cpuMs(pid) {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!stat) return null;
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime, stime in USER_HZ (100)
}

/** Spawns `args`, polls until a proxied request gets 200; returns the ms from spawn, the CPU the
 *  child used by then, and the child. */
export async function timeToFirst200(args, port, token, env) {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  for (;;) {
    const status = await post(port, token);
    // `at`: the monotonic clock (µs) when the 200 arrived, the clock V8's profiles use on Linux.
    if (status === 200) {
      const at = Number(process.hrtime.bigint() / 1000n);
      return { ms: performance.now() - started, cpu: await cpuMs(child.pid), child, at };
    }
    if (child.exitCode !== null || performance.now() - started > POLL_LIMIT_MS) {
      child.kill('SIGKILL');
      throw new Error(`no proxied 200 from ${args.join(' ')} (last status ${status}): ${stderr.slice(-600)}`);
    }
    if (status !== 0) await new Promise((r) => setTimeout(r, 2));
  }
}

/** Sequential requests for `ms` right after the first 200: the longest one is what a request
 *  arriving then could be held (by a tokenizer loading on the event loop, say). */
async function longestRequest(port, token, ms) {
  const until = performance.now() + ms;
  let longest = 0;
  let n = 0;
  while (performance.now() < until && n < 400) {
    const t = performance.now();
    const status = await post(port, token);
    if (status !== 200) throw new Error(`request after start-up got HTTP ${status}`);
    longest = Math.max(longest, performance.now() - t);
    n++;
  }
  return longest;
}

export async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

async function run(cmd, args, env) {
  const started = performance.now();
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}: ${stderr.slice(-400)}`);
  return performance.now() - started;
}

async function admin(instance, method, path, body) {
  const res = await fetch(instance.url + path, {
    method,
    headers: { authorization: `Bearer ${instance.secret}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return res.json();
}

/** A data dir whose openai provider points at the upstream, with a tool under a USD budget. */
export async function prepareDataDir(bin, env, upstreamUrl) {
  const dataDir = await mkdtemp(join(tmpdir(), 'shimmy-startup-'));
  const port = await freePort();
  const child = spawn(process.execPath, [bin, 'serve', '--port', String(port), '--data-dir', dataDir], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let instance;
  for (const t0 = performance.now(); !instance; await new Promise((r) => setTimeout(r, 50))) {
    instance = await readFile(join(dataDir, 'instance.json'), 'utf8').then(JSON.parse, () => undefined);
    if (performance.now() - t0 > POLL_LIMIT_MS) throw new Error('shimmy serve did not start');
  }
  await admin(instance, 'PATCH', '/api/providers/openai', { baseUrl: `${upstreamUrl}/v1` });
  const { token } = await admin(instance, 'POST', '/api/tools', {
    name: 'startup',
    limits: { dailyUsd: 100 },
  });
  await stop(child);
  return { dataDir, token };
}

/** A copy of `dataDir` holding a saved price catalog, as every start after a background refresh
 *  finds one (the bench's instances never refresh: SHIMMY_PRICE_REFRESH=off). Written by the
 *  build's own saveCatalogFile from the bundled data. */
export async function withSavedCatalog(dataDir, root) {
  const copy = await mkdtemp(join(tmpdir(), 'shimmy-startup-catalog-'));
  await cp(dataDir, copy, { recursive: true });
  const dist = (f) => pathToFileURL(join(root, 'dist/main/core/pricing', f)).href;
  const { bundledCatalog } = await import(dist('catalog.js'));
  const { saveCatalogFile } = await import(dist('catalog-file.js'));
  const bundled = await bundledCatalog();
  await saveCatalogFile(join(copy, 'price-catalog.json'), {
    ...bundled,
    source: 'refreshed',
    url: 'https://example.invalid/data.json',
    fetchedAt: new Date().toISOString(),
  });
  return copy;
}

/** Fills `dataDir`'s response cache with `n` entries of ~`bodyBytes` each (a chat answer's JSON),
 *  written by the build's own codec, then opens and closes that build's cache once so its index
 *  is what that build writes. */
export async function fillCache(dataDir, root, n, bodyBytes = 8192) {
  const dist = (f) => pathToFileURL(join(root, 'dist/main/core/cache', f)).href;
  const { encodeEntry } = await import(dist('entry-codec.js'));
  const { openResponseCache } = await import(dist('lru-store.js'));
  const dir = join(dataDir, 'cache');
  await mkdir(dir, { recursive: true });
  const storedAt = Date.now();
  for (let i = 0; i < n; i++) {
    const key = createHash('sha256').update(`bench entry ${i}`).digest('hex');
    const text = `entry ${i} `.repeat(Math.ceil(bodyBytes / 10)).slice(0, bodyBytes);
    const body = Buffer.from(
      JSON.stringify({ id: `chatcmpl-${i}`, choices: [{ message: { content: text } }] }),
    );
    const usage = {
      inputTokens: 20,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 2000,
      reasoningTokens: 0,
    };
    await writeFile(
      join(dir, `${key}.bin`),
      encodeEntry(key, {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body,
        streamed: false,
        usage,
        costUsd: 0.0012,
        model: 'gpt-4o-mini',
        storedAt: storedAt + i,
      }),
    );
  }
  const cache = await openResponseCache({
    dir,
    maxEntries: 10_000,
    maxBytes: 256 * 1024 * 1024,
    ttlMs: () => 7 * 86_400_000,
  });
  const { entries } = cache.stats();
  await cache.close();
  if (entries !== n) throw new Error(`the filled cache holds ${entries} entries, not ${n}`);
}

const packageOf = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

/** The packages one traced `serve` loads before its first proxied 200: package → the specifiers
 *  it was loaded by (`date-fns/addDays`, not the whole `date-fns`). */
async function tracePackages(bin, dataDir, token, env) {
  const file = join(dataDir, 'trace.txt');
  const port = await freePort();
  const { child } = await timeToFirst200(
    [
      '--import',
      join(HERE, 'startup-trace.mjs'),
      bin,
      'serve',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
    ],
    port,
    token,
    { ...env, STARTUP_TRACE_FILE: file },
  );
  const lines = (await readFile(file, 'utf8').catch(() => '')).split('\n');
  await stop(child);
  const builtin = new Set(builtinModules);
  const specs = new Map();
  for (const l of lines.filter((l) => l && !builtin.has(l.split('/')[0])))
    specs.set(packageOf(l), (specs.get(packageOf(l)) ?? new Set()).add(l));
  return specs;
}

/** The import time of what was loaded of a package (`specs`: its specifiers), in a fresh process
 *  (median of 3), from `root`. */
async function importMs(specs, root) {
  const ms = [];
  const imports = [...specs].map((s) => `await import(${JSON.stringify(s)});`).join('');
  for (let i = 0; i < 3; i++) {
    const out = await new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--input-type=module', '-e', `const t=performance.now();${imports}console.log(performance.now()-t)`],
        { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] },
      );
      let s = '';
      child.stdout.on('data', (d) => (s += d));
      child.on('exit', (code) =>
        code === 0 ? resolve(Number(s)) : reject(new Error(`import ${[...specs]} failed`)),
      );
    });
    ms.push(out);
  }
  return median(ms);
}

/** Names worth a row even when not loaded: what issue 16 found at start-up and what came since. */
const WATCHED = [
  'express',
  'undici',
  'date-fns',
  'zod',
  'gpt-tokenizer',
  '@pydantic/genai-prices',
  'kysely',
  'better-sqlite3',
  'pg',
  'ioredis',
  'ws',
  'commander',
];

export async function runStartupBench({
  rounds = 5,
  cliSpawns = 7,
  root = join(HERE, '../..'),
  log = console.log,
  firstOnly = false,
  cacheEntries = 0,
} = {}) {
  const bin = join(root, 'bin/shimmy.js');
  const upstream = await startFakeUpstream();
  const env = { ...process.env, SHIMMY_KEY_OPENAI: 'sk-bench', SHIMMY_PRICE_REFRESH: 'off' };
  delete env.SHIMMY_DATA_DIR;
  const { dataDir, token } = await prepareDataDir(bin, env, upstream.url);
  const catalogDir = await withSavedCatalog(dataDir, root);
  if (cacheEntries > 0) await fillCache(dataDir, root, cacheEntries);
  const out = {
    rounds,
    raw: { firstMs: [], firstCpuMs: [], longestMs: [] },
    shimmy: { firstMs: [], firstCpuMs: [], longestMs: [] },
    shimmySavedCatalog: { firstMs: [], firstCpuMs: [] },
    cli: {},
  };
  try {
    log(
      `\nStart-up (${rounds} spawns each; a tool with a USD budget, so the first request needs a token count${cacheEntries ? `; ${cacheEntries} entries in the response cache` : ''}):`,
    );
    for (let i = 0; i < rounds; i++) {
      // Raw and Shimmy alternate, so the machine's drift hits both alike.
      let port = await freePort();
      let r = await timeToFirst200(
        [join(HERE, 'startup-raw-child.mjs'), String(port), upstream.url],
        port,
        'x',
        env,
      );
      out.raw.firstMs.push(r.ms);
      out.raw.firstCpuMs.push(r.cpu);
      out.raw.longestMs.push(await longestRequest(port, 'x', 2000));
      await stop(r.child);
      const saved = await freePort();
      const c = await timeToFirst200(
        [bin, 'serve', '--port', String(saved), '--data-dir', catalogDir],
        saved,
        token,
        env,
      );
      out.shimmySavedCatalog.firstMs.push(c.ms);
      out.shimmySavedCatalog.firstCpuMs.push(c.cpu);
      await stop(c.child);
      port = await freePort();
      r = await timeToFirst200(
        [bin, 'serve', '--port', String(port), '--data-dir', dataDir],
        port,
        token,
        env,
      );
      out.shimmy.firstMs.push(r.ms);
      out.shimmy.firstCpuMs.push(r.cpu);
      out.shimmy.longestMs.push(await longestRequest(port, token, 2000));
      if (firstOnly) {
        await stop(r.child);
        continue;
      }
      // The CLI against this running instance, vs a bare `node -e 0`, in the same round: each
      // command `cliSpawns` times, interleaved, since one spawn swings by ±100 ms on a loaded machine.
      const cli = (name, args) =>
        run(process.execPath, args, env).then((ms) => (out.cli[name] ??= []).push(ms));
      for (let k = 0; k < cliSpawns; k++) {
        await cli('node -e 0', ['-e', '0']);
        await cli('shimmy --help', [bin, '--help']);
        await cli('shimmy tool list', [bin, 'tool', 'list', '--data-dir', dataDir]);
        await cli('shimmy usage', [bin, 'usage', '--data-dir', dataDir]);
      }
      await stop(r.child);
    }
    const raw = median(out.raw.firstMs);
    const shimmy = median(out.shimmy.firstMs);
    out.firstProxied200 = { rawMs: raw, shimmyMs: shimmy, ratio: shimmy / raw };
    log(
      `  first proxied 200 after spawn: raw node:http ${raw.toFixed(0)} ms, shimmy serve ${shimmy.toFixed(0)} ms (${(shimmy / raw).toFixed(2)}× raw, +${(shimmy - raw).toFixed(0)} ms)`,
    );
    log(
      `    per spawn: raw ${out.raw.firstMs.map((x) => x.toFixed(0)).join(' ')}; shimmy ${out.shimmy.firstMs.map((x) => x.toFixed(0)).join(' ')}`,
    );
    if (out.raw.firstCpuMs.every((x) => x !== null)) {
      const [rc, shc, scc] = [out.raw, out.shimmy, out.shimmySavedCatalog].map((t) => median(t.firstCpuMs));
      out.firstProxied200Cpu = { rawMs: rc, shimmyMs: shc, savedCatalogMs: scc };
      log(
        `  CPU used by then (all threads): raw ${rc.toFixed(0)} ms, shimmy ${shc.toFixed(0)} ms (${(shc / rc).toFixed(2)}×), with a saved catalog ${scc.toFixed(0)} ms (${(scc / rc).toFixed(2)}×)`,
      );
    }
    const sc = median(out.shimmySavedCatalog.firstMs);
    out.firstProxied200.savedCatalogMs = sc;
    out.firstProxied200.savedCatalogRatio = sc / raw;
    log(
      `  the same with a saved (refreshed) price catalog in the data dir: ${sc.toFixed(0)} ms (${(sc / raw).toFixed(2)}× raw); per spawn ${out.shimmySavedCatalog.firstMs.map((x) => x.toFixed(0)).join(' ')}`,
    );
    const lr = median(out.raw.longestMs);
    const ls = median(out.shimmy.longestMs);
    out.longestRequest = { rawMs: lr, shimmyMs: ls };
    log(`  longest request in the 2 s after it: raw ${lr.toFixed(0)} ms, shimmy ${ls.toFixed(0)} ms`);
    if (firstOnly) return out;
    const base = median(out.cli['node -e 0']);
    out.cliOwnMs = {};
    for (const [name, ms] of Object.entries(out.cli)) {
      if (name === 'node -e 0') continue;
      out.cliOwnMs[name] = median(ms) - base;
      log(
        `  ${name.padEnd(18)} ${median(ms).toFixed(0)} ms: ${(median(ms) - base).toFixed(0)} ms of its own over node -e 0 (${base.toFixed(0)} ms; medians of ${ms.length} spawns)`,
      );
    }
    const loaded = await tracePackages(bin, dataDir, token, env);
    out.packages = [];
    log(
      '  packages loaded before the first proxied 200 (import time of what was loaded of each, alone, median of 3):',
    );
    for (const pkg of [...new Set([...loaded.keys(), ...WATCHED])]) {
      const ms = await importMs(loaded.get(pkg) ?? [pkg], root).catch(() => null);
      const row = { pkg, loaded: loaded.has(pkg), importMs: ms, specifiers: [...(loaded.get(pkg) ?? [])] };
      out.packages.push(row);
      const what =
        row.specifiers.length > 1 || (row.specifiers[0] ?? pkg) !== pkg
          ? ` (${row.specifiers.join(', ')})`
          : '';
      log(
        `    ${pkg.padEnd(24)} ${(ms === null ? '—' : ms.toFixed(0) + ' ms').padStart(8)}  ${row.loaded ? 'loaded' + what : 'not loaded on its own (inside dist/main/bundle, or not needed)'}`,
      );
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await rm(catalogDir, { recursive: true, force: true });
    upstream.server.closeAllConnections();
    upstream.server.close();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      'cli-spawns': { type: 'string', default: '7' },
      root: { type: 'string' },
      'first-only': { type: 'boolean' },
      'cache-entries': { type: 'string', default: '0' },
    },
  });
  await runStartupBench({
    rounds: Number(values.rounds),
    cliSpawns: Number(values['cli-spawns']),
    firstOnly: values['first-only'] ?? false,
    cacheEntries: Number(values['cache-entries']),
    ...(values.root ? { root: values.root } : {}),
  });
  process.exit(0);
}
