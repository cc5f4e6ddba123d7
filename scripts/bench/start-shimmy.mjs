// Starts the compiled core (dist/, from `npm run build:core`) in a temp data dir, off the OS keychain,
// points its openai provider at the fake upstream and creates a `bench` tool through the admin API.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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

/** Returns `{ url, token, price, core, close() }`; `token` is the bench tool's proxy token. */
export async function startShimmy(upstreamUrl) {
  const corePath = join(import.meta.dirname, '../../dist/main/core/start-core.js');
  const { startCore } = await import(pathToFileURL(corePath).href);
  const dataDir = await mkdtemp(join(tmpdir(), 'shimmy-bench-'));
  // SHIMMY_KEY_OPENAI binds to the base URL openai has at start: point it at the upstream first.
  const providersPath = join(import.meta.dirname, '../../dist/main/core/config/builtin-providers.js');
  const { BUILTIN_PROVIDERS } = await import(pathToFileURL(providersPath).href);
  const providers = BUILTIN_PROVIDERS.map((p) => ({
    ...p,
    baseUrl: p.kind === 'openai' ? `${upstreamUrl}/v1` : upstreamUrl,
  }));
  await writeFile(join(dataDir, 'config.json'), JSON.stringify({ version: 1, providers }), { mode: 0o600 });
  const core = await startCore({
    dataDir,
    port: 0,
    keychain: null,
    env: { ...process.env, SHIMMY_KEY_OPENAI: 'sk-bench', SHIMMY_PRICE_REFRESH: 'off' },
    log: () => {},
    // scripts/bench-redis.mjs: the same target with its limits in Redis.
    ...(process.env.BENCH_REDIS ? { redis: process.env.BENCH_REDIS } : {}),
  });
  await admin(core, 'PATCH', '/api/providers/openai', { baseUrl: `${upstreamUrl}/v1` });
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
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
