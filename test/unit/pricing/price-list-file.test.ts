import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPriceBook, loadRefreshedPrices, refreshPriceList } from '../../../main/core/pricing/index.js';

/** A slice of LiteLLM's model_prices_and_context_window.json (costs per TOKEN). */
const LITELLM = {
  sample_spec: {
    max_tokens: 'LEGACY parameter. set to max_output_tokens if provider specifies it.',
    input_cost_per_token: 0.0,
    output_cost_per_token: 0.0,
    litellm_provider: 'one of https://docs.litellm.ai/docs/providers',
  },
  'gpt-4o-mini': {
    max_tokens: 16384,
    input_cost_per_token: 1.5e-7,
    output_cost_per_token: 6e-7,
    cache_read_input_token_cost: 7.5e-8,
    litellm_provider: 'openai',
    mode: 'chat',
  },
  'claude-sonnet-4-5': {
    input_cost_per_token: 3e-6,
    output_cost_per_token: 1.5e-5,
    cache_creation_input_token_cost: 3.75e-6,
    cache_read_input_token_cost: 3e-7,
    litellm_provider: 'anthropic',
  },
  'anthropic/claude-new-9': {
    input_cost_per_token: 2e-6,
    output_cost_per_token: 1e-5,
    cache_read_input_token_cost: null,
  },
  'dall-e-3': { output_cost_per_image: 0.04, litellm_provider: 'openai', mode: 'image_generation' },
  'text-embedding-3-small': {
    input_cost_per_token: 2e-8,
    output_cost_per_token: 0,
    litellm_provider: 'openai',
  },
};

let dir: string;
let server: Server;
let base: string;
let body = JSON.stringify(LITELLM);
let status = 200;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shimmy-prices-'));
  body = JSON.stringify(LITELLM);
  status = 200;
  server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

describe('refreshPriceList', () => {
  it('fetches, converts per-token costs to per-1M, keeps only token-priced entries, saves atomically', async () => {
    const file = join(dir, 'sub', 'prices.json');
    const result = await refreshPriceList({ url: `${base}/prices.json`, file, fetch });
    expect(result).toEqual({ ok: true, count: 4 });
    expect(await readdir(join(dir, 'sub'))).toEqual(['prices.json']);
    const saved = JSON.parse(await readFile(file, 'utf8')) as unknown;
    expect(saved).toEqual({
      'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
      'claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
      'anthropic/claude-new-9': { input: 2, output: 10 },
      'text-embedding-3-small': { input: 0.02, output: 0 },
    });
    const refreshed = await loadRefreshedPrices(file);
    expect(refreshed).toEqual(saved);
    const b = createPriceBook({ user: () => ({}), refreshed: () => refreshed });
    expect(b.lookup('claude-new-9-20260101')).toMatchObject({
      source: 'refreshed',
      key: 'anthropic/claude-new-9',
      price: { input: 2, output: 10 },
    });
    // A user override still wins over the refreshed price.
    const withUser = createPriceBook({
      user: () => ({ 'claude-new-9': { input: 1, output: 2 } }),
      refreshed: () => refreshed,
    });
    expect(withUser.lookup('claude-new-9')).toMatchObject({ source: 'user', price: { input: 1, output: 2 } });
  });

  it('an unreachable URL is ok:false, keeps the old file, and built-ins are still used', async () => {
    const file = join(dir, 'prices.json');
    await writeFile(file, JSON.stringify({ 'gpt-4o': { input: 9, output: 9 } }));
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/prices.json`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const result = await refreshPriceList({ url: deadUrl, file, fetch });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/fetch failed/);
    expect(await loadRefreshedPrices(file)).toEqual({ 'gpt-4o': { input: 9, output: 9 } });

    const missing = await loadRefreshedPrices(join(dir, 'none.json'));
    expect(missing).toEqual({});
    const b = createPriceBook({ user: () => ({}), refreshed: () => missing });
    expect(b.lookup('gpt-4o-mini')).toMatchObject({ source: 'builtin', price: { input: 0.15 } });
  });

  it('HTTP errors, non-JSON and lists without usable prices are ok:false', async () => {
    const file = join(dir, 'prices.json');
    status = 500;
    expect(await refreshPriceList({ url: base, file, fetch })).toEqual({
      ok: false,
      error: 'price list fetch failed: HTTP 500',
    });
    status = 200;
    body = '<html>nope</html>';
    expect((await refreshPriceList({ url: base, file, fetch })).ok).toBe(false);
    body = JSON.stringify({ 'dall-e-3': LITELLM['dall-e-3'] });
    expect((await refreshPriceList({ url: base, file, fetch })).ok).toBe(false);
    body = '[1,2]';
    expect((await refreshPriceList({ url: base, file, fetch })).ok).toBe(false);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a rejecting fetch is reported, not thrown', async () => {
    const failing = (() => Promise.reject(new TypeError('boom'))) as typeof fetch;
    expect(await refreshPriceList({ url: base, file: join(dir, 'p.json'), fetch: failing })).toEqual({
      ok: false,
      error: 'price list fetch failed: boom',
    });
  });
});

describe('loadRefreshedPrices', () => {
  it('a corrupt file is {} and invalid entries are dropped', async () => {
    const corrupt = join(dir, 'corrupt.json');
    await writeFile(corrupt, '{"gpt-4o": {"input": 1,');
    expect(await loadRefreshedPrices(corrupt)).toEqual({});
    const mixed = join(dir, 'mixed.json');
    await writeFile(
      mixed,
      JSON.stringify({ good: { input: 1, output: 2 }, bad: { input: -1, output: 2 }, worse: 'x' }),
    );
    expect(await loadRefreshedPrices(mixed)).toEqual({ good: { input: 1, output: 2 } });
  });
});
