// Starts the compiled core (dist/, from `npm run build:core`) in a temp data dir, off the OS keychain,
// points its openai provider at the fake upstream and creates a `bench` tool through the admin API.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

async function admin(core, method, path, body) {
  const res = await fetch(core.url + path, {
    method,
    headers: { authorization: `Bearer ${core.adminSecret}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * Returns `{ url, token, price, core, close() }`; `token` is the bench tool's proxy token.
 * `dataDir`: open that (prepared) data dir instead of a fresh temp one, and keep it on close;
 * `budgetedTools`: more tools to create first, each with a daily and monthly USD budget;
 * `rendererDir`: serve that built dashboard instead of dist/renderer;
 * `stdoutLog`: the core's own log (a JSON line per request on stdout, as `shimmy serve` writes it)
 * instead of none.
 */
export async function startShimmy(
  upstreamUrl,
  { dataDir: given, budgetedTools = [], rendererDir, stdoutLog = false } = {},
) {
  // BENCH_CORE_DIST: another build's dist/ (an A/B against a base build with today's bench scripts).
  const dist = process.env.BENCH_CORE_DIST ?? join(import.meta.dirname, '../../dist');
  // The bundled core (dist/main/bundle/core.cjs), which `shimmy serve` and the desktop shell run;
  // a build from before the bundle had a core entry: tsc's output.
  const bundled = join(dist, 'main/bundle/core.cjs');
  const { startCore } = existsSync(bundled)
    ? createRequire(import.meta.url)(bundled)
    : await import(pathToFileURL(join(dist, 'main/core/start-core.js')).href);
  const dataDir = given ?? (await mkdtemp(join(tmpdir(), 'shimmy-bench-')));
  // The openai provider points at the fake upstream before start: a SHIMMY_KEY_* key is bound to
  // the base URL its provider has at start (repointing it after would leave it without a key).
  const openai = {
    name: 'openai',
    kind: 'openai',
    baseUrl: `${upstreamUrl}/v1`,
    isDefault: true,
    builtin: true,
  };
  await writeFile(join(dataDir, 'config.json'), JSON.stringify({ version: 1, providers: [openai] }));
  const core = await startCore({
    dataDir,
    port: 0,
    keychain: null,
    env: { ...process.env, SHIMMY_KEY_OPENAI: 'sk-bench', SHIMMY_PRICE_REFRESH: 'off' },
    ...(stdoutLog ? {} : { log: () => {} }),
    ...(rendererDir ? { rendererDir } : {}),
    // scripts/bench-redis.mjs: the same target with its limits in Redis.
    ...(process.env.BENCH_REDIS ? { redis: process.env.BENCH_REDIS } : {}),
  });
  for (const name of budgetedTools)
    await admin(core, 'POST', '/api/tools', { name, limits: { dailyUsd: 1000, monthlyUsd: 10000 } });
  const limits = process.env.BENCH_TOOL_LIMITS ? JSON.parse(process.env.BENCH_TOOL_LIMITS) : {};
  const { token } = await admin(core, 'POST', '/api/tools', { name: 'bench', limits });
  const prices = await admin(core, 'GET', '/api/prices');
  return {
    url: core.url,
    token,
    /** Shimmy's own price for the bench model (USD per 1M tokens), to check the ledger against. */
    price: prices.find((p) => p.model === 'gpt-4o-mini')?.price ?? null,
    core,
    async close() {
      await core.close();
      if (!given) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
