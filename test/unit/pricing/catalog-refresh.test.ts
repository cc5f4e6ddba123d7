import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  bundledCatalog,
  createPrices,
  loadCatalogFile,
  openPriceCatalog,
  priceUsage,
  refreshCatalog,
  saveCatalogFile,
  type Catalog,
} from '../../../main/core/pricing/index.js';

/** The bundled providers with one extra model added to OpenAI's: a refreshed catalog knows it. */
let fresh: unknown;
let hits = 0;
let serve: (res: http.ServerResponse) => void;
let server: http.Server;
let base = '';
let dir = '';
const at = new Date('2026-11-27T12:00:00Z');
const LOCAL = { name: 'openai', kind: 'openai' as const, baseUrl: 'http://127.0.0.1:1/v1' };

beforeAll(async () => {
  const bundled = await bundledCatalog();
  fresh = bundled.providers.map((p) =>
    p.id === 'openai'
      ? {
          ...p,
          models: [
            { id: 'gpt-next', match: { equals: 'gpt-next' }, prices: { input_mtok: 4, output_mtok: 8 } },
            ...p.models,
          ],
        }
      : p,
  );
  server = http.createServer((req, res) => {
    hits++;
    serve(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shimmy-catalog-'));
  hits = 0;
  serve = (res) =>
    res
      .writeHead(200, {
        'content-type': 'application/json',
        'last-modified': 'Thu, 26 Nov 2026 08:00:00 GMT',
      })
      .end(JSON.stringify(fresh));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const pricesWith = (c: Catalog) => createPrices({ catalog: () => c, user: () => ({}), legacy: () => ({}) });
const oneMillionIn = {
  inputTokens: 1_000_000,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
};

describe('refreshCatalog', () => {
  it('fetches, checks and saves atomically; the new catalog prices what the old did not', async () => {
    const file = join(dir, 'price-catalog.json');
    const r = await refreshCatalog({ url: `${base}/data.json`, file, fetch, now: () => at });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.catalog).toMatchObject({
      source: 'refreshed',
      url: `${base}/data.json`,
      fetchedAt: at.toISOString(),
    });
    expect(r.catalog.lastModified).toBe('Thu, 26 Nov 2026 08:00:00 GMT');
    expect(await readdir(dir)).toEqual(['price-catalog.json']);
    expect(
      pricesWith(await bundledCatalog()).lookup({ provider: LOCAL, model: 'gpt-next', at }),
    ).toBeUndefined();
    const loaded = await loadCatalogFile(file);
    expect(loaded.problem).toBeUndefined();
    // $4 per 1M input: 1M tokens → $4
    expect(
      priceUsage(
        pricesWith(loaded.catalog!).lookup({ provider: LOCAL, model: 'gpt-next', at }),
        oneMillionIn,
      ),
    ).toBe(4);
  });

  it('refuses what is not a genai-prices catalog (a LiteLLM list, HTML, an error) and keeps the old file', async () => {
    const file = join(dir, 'price-catalog.json');
    await refreshCatalog({ url: `${base}/data.json`, file, fetch, now: () => at });
    const before = await readFile(file, 'utf8');
    serve = (res) => res.writeHead(200).end(JSON.stringify({ 'gpt-4o': { input_cost_per_token: 2.5e-6 } }));
    const lite = await refreshCatalog({ url: `${base}/x`, file, fetch, now: () => at });
    expect(lite).toMatchObject({ ok: false });
    expect(!lite.ok && lite.error).toMatch(/not a usable genai-prices catalog/);
    serve = (res) => res.writeHead(200).end('<html>');
    expect(await refreshCatalog({ url: `${base}/x`, file, fetch, now: () => at })).toMatchObject({
      ok: false,
    });
    serve = (res) => res.writeHead(503).end();
    expect(await refreshCatalog({ url: `${base}/x`, file, fetch, now: () => at })).toMatchObject({
      ok: false,
      error: 'price catalog fetch failed: HTTP 503',
    });
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});

describe('a damaged catalog file', () => {
  it('is reported, and the previous good copy is used', async () => {
    const file = join(dir, 'price-catalog.json');
    await refreshCatalog({ url: `${base}/one`, file, fetch, now: () => at });
    await refreshCatalog({ url: `${base}/two`, file, fetch, now: () => at });
    expect((await readdir(dir)).sort()).toEqual(['price-catalog.json', 'price-catalog.json.prev']);
    await writeFile(file, '{"format":"genai-prices","url":"x","fetchedAt":"y","providers":[{"id":');
    const loaded = await loadCatalogFile(file);
    expect(loaded.problem).toMatch(/price-catalog\.json is damaged .*using the previous copy/);
    expect(loaded.catalog?.url).toBe(`${base}/one`);
  });

  it('with no good copy left, falls back to the bundled catalog and says so', async () => {
    const file = join(dir, 'price-catalog.json');
    await writeFile(file, 'not json');
    const logs: Array<Record<string, unknown>> = [];
    const svc = await openPriceCatalog({
      file,
      fetch,
      now: () => at,
      log: (e) => logs.push(e),
      url: () => undefined,
      autoRefresh: () => false,
    });
    expect(svc.current().source).toBe('bundled');
    expect(svc.status().problem).toMatch(/damaged.*using the bundled catalog/);
    expect(logs.some((l) => l.warn === 'price catalog damaged')).toBe(true);
  });
});

describe('a saved catalog at start', () => {
  // The saved file carries the SHA-256 of its providers as checked before saving, so a start that
  // finds them unchanged does not check ~1,700 models again (issue 16: 50–350 ms of every start).
  const saved = async () => {
    const file = join(dir, 'price-catalog.json');
    await refreshCatalog({ url: `${base}/one`, file, fetch, now: () => at });
    return { file, json: JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown> };
  };
  // The digest is of the providers as saved: JSON with non-ASCII escaped (catalog-file.ts).
  const ascii = (v: unknown) =>
    JSON.stringify(v).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  const sha256 = (v: unknown) => createHash('sha256').update(ascii(v)).digest('hex');

  // issue 16: a start with a saved catalog parsed the bundled one too (~500 kB of JSON; the bundle
  // parses it on first use now): most of the ~30 ms such a start cost over one without.
  it('is opened without the bundled catalog; with no usable saved copy the bundled one is used', async () => {
    const { file } = await saved();
    let asked = 0;
    const bundled = () => (asked++, bundledCatalog());
    const deps = {
      fetch,
      now: () => at,
      log: () => undefined,
      url: () => undefined,
      autoRefresh: () => false,
    };
    const svc = await openPriceCatalog({ ...deps, file, bundled });
    expect(svc.current().source).toBe('refreshed');
    expect(asked).toBe(0);
    const none = await openPriceCatalog({ ...deps, file: join(dir, 'missing.json'), bundled });
    expect(none.current().source).toBe('bundled');
    expect(asked).toBe(1);
  });

  it('is saved with the digest of its providers and loads back unchanged', async () => {
    const { file, json } = await saved();
    expect(json.providersSha256).toBe(sha256(json.providers));
    const loaded = await loadCatalogFile(file);
    expect(loaded.problem).toBeUndefined();
    expect(loaded.catalog?.providers).toEqual(fresh);
  });

  // issue 16: a file holding any non-ASCII character is decoded by Node into a two-byte string
  // (~4-6 ms of each start for the ~1 MB file, and a slower JSON.parse); ASCII is read as latin1.
  it('is saved as ASCII; non-ASCII text and files saved as UTF-8 before load back the same', async () => {
    const file = join(dir, 'price-catalog.json');
    const providers = [
      { id: 'openai', name: 'OpenAI — “prix par token” ✓ 𝔁' },
      { id: 'anthropic', name: 'Anthropic' },
    ] as unknown as Catalog['providers'];
    await saveCatalogFile(file, { providers, source: 'refreshed', url: 'https://x.invalid/d.json' });
    const bytes = await readFile(file);
    expect(isAscii(bytes)).toBe(true);
    let loaded = await loadCatalogFile(file);
    expect(loaded.problem).toBeUndefined();
    expect(loaded.catalog?.providers).toEqual(providers); // vouched for by its digest, as it was
    // A file saved as UTF-8 with the digest of that text (before this change): still vouched for.
    const json = JSON.parse(bytes.toString('latin1')) as Record<string, unknown>;
    const utf8 = createHash('sha256').update(JSON.stringify(providers)).digest('hex');
    await writeFile(file, JSON.stringify({ ...json, providersSha256: utf8 }), 'utf8');
    loaded = await loadCatalogFile(file);
    expect(loaded.problem).toBeUndefined();
    expect(loaded.catalog?.providers).toEqual(providers);
  });

  it('whose digest matches is taken as checked; any change is checked in full', async () => {
    const { file, json } = await saved();
    // Not a catalog's shape, but vouched for by a matching digest: only Shimmy writes one.
    const vouched = [{ id: 'openai' }, { id: 'anthropic' }];
    await writeFile(file, JSON.stringify({ ...json, providers: vouched, providersSha256: sha256(vouched) }));
    expect((await loadCatalogFile(file)).catalog?.providers).toEqual(vouched);
    // The same shape under the old digest (a hand edit, a damaged disk): checked, and refused.
    await writeFile(file, JSON.stringify({ ...json, providers: vouched }));
    expect((await loadCatalogFile(file)).problem).toMatch(/damaged/);
    // A valid edit under the old digest, and a file from before the digest: checked, and used.
    const edited = (fresh as Array<{ id: string; name: string }>).map((p) => ({ ...p, name: `${p.name}!` }));
    await writeFile(file, JSON.stringify({ ...json, providers: edited }));
    expect((await loadCatalogFile(file)).catalog?.providers).toEqual(edited);
    const { providersSha256: _, ...older } = json;
    await writeFile(file, JSON.stringify(older));
    expect((await loadCatalogFile(file)).catalog?.providers).toEqual(fresh);
  });

  it('checks the digest on the bytes as saved, without serializing the providers again', async () => {
    const { file, json } = await saved();
    // A spy on the global (not a module mock): how much JSON.stringify writes while loading.
    const stringify = JSON.stringify;
    let written = 0;
    JSON.stringify = ((...args: Parameters<typeof stringify>) => {
      const out = stringify(...args);
      written += out?.length ?? 0;
      return out;
    }) as typeof stringify;
    let loaded;
    try {
      loaded = await loadCatalogFile(file);
    } finally {
      JSON.stringify = stringify;
    }
    expect(loaded.catalog?.providers).toEqual(fresh);
    expect(written).toBeLessThan(1000);
    // Laid out otherwise (pretty-printed by hand) but with the same providers: still vouched for.
    const vouched = [{ id: 'openai' }, { id: 'anthropic' }];
    await writeFile(
      file,
      JSON.stringify({ ...json, providers: vouched, providersSha256: sha256(vouched) }, null, 2),
    );
    expect((await loadCatalogFile(file)).catalog?.providers).toEqual(vouched);
  });
});

describe('background refresh', () => {
  it('runs on start from the configured URL when on, and not at all when off', async () => {
    const file = join(dir, 'price-catalog.json');
    let on = false;
    const svc = await openPriceCatalog({
      file,
      fetch,
      now: () => at,
      log: () => undefined,
      url: () => `${base}/data.json`,
      autoRefresh: () => on,
    });
    svc.start();
    svc.stop();
    await new Promise((r) => setTimeout(r, 100));
    expect(hits).toBe(0);
    on = true;
    svc.start();
    await expect.poll(() => svc.current().source).toBe('refreshed');
    svc.stop();
    expect(hits).toBe(1);
    expect(svc.status()).toMatchObject({
      source: 'refreshed',
      url: `${base}/data.json`,
      lastRefresh: { ok: true },
    });
  });
});
