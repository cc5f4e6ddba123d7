import { calcPrice } from '@pydantic/genai-prices';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Price } from '../../../shared/prices.js';
import type { Usage } from '../../../shared/usage.js';
import {
  bundledCatalog,
  createPrices,
  priceUsage,
  type Catalog,
  type ServingProvider,
} from '../../../main/core/pricing/index.js';
import { catalogUsage } from '../../../main/core/pricing/price-usage.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await bundledCatalog();
});
const at = new Date('2026-11-27T12:00:00Z');
const OPENAI: ServingProvider = { name: 'openai', kind: 'openai', baseUrl: 'https://api.openai.com/v1' };
const ANTHROPIC: ServingProvider = {
  name: 'anthropic',
  kind: 'anthropic',
  baseUrl: 'https://api.anthropic.com',
};
const MISTRAL: ServingProvider = { name: 'mistral', kind: 'openai', baseUrl: 'https://api.mistral.ai/v1' };
const AZURE: ServingProvider = {
  name: 'az',
  kind: 'openai',
  baseUrl: 'https://me.openai.azure.com/openai/v1',
};
const LOCAL: ServingProvider = { name: 'local', kind: 'openai', baseUrl: 'http://127.0.0.1:8080/v1' };
const usage = (x: Partial<Usage>): Usage => ({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  ...x,
});
const book = (user: Record<string, Price> = {}, legacy: Record<string, Price> = {}) =>
  createPrices({ catalog: () => catalog, user: () => user, legacy: () => legacy });

describe('lookup by the provider that served the request', () => {
  it('picks the catalog provider from the base URL, else the API family', () => {
    const b = book();
    expect(b.lookup({ provider: MISTRAL, model: 'mistral-large-latest', at })).toMatchObject({
      provider: 'mistral',
      key: 'mistral-large',
    });
    expect(b.lookup({ provider: OPENAI, model: 'gpt-4o', at })?.provider).toBe('openai');
    // Azure's catalog entry sends OpenAI models to OpenAI's prices (its fallback_model_providers).
    expect(b.lookup({ provider: AZURE, model: 'gpt-4o', at })?.provider).toBe('openai');
    expect(b.lookup({ provider: AZURE, model: 'mistral-large-latest', at })).toBeUndefined();
    // A loopback or company gateway speaking the OpenAI API bills as OpenAI.
    expect(b.lookup({ provider: LOCAL, model: 'gpt-4o', at })?.provider).toBe('openai');
    // priceProvider in the provider's config wins over the URL.
    const ds = { ...LOCAL, priceProvider: 'deepseek' };
    expect(b.lookup({ provider: ds, model: 'deepseek-v4-pro', at })?.provider).toBe('deepseek');
  });

  it('a model the serving provider does not sell is unpriced, even if another provider has it', () => {
    expect(book().lookup({ provider: MISTRAL, model: 'gpt-4o', at })).toBeUndefined();
    expect(book().lookup({ provider: ANTHROPIC, model: 'gpt-4o', at })).toBeUndefined();
  });

  it('dated snapshots match their model; no fallback to a shorter family name', () => {
    const b = book();
    expect(b.lookup({ provider: OPENAI, model: 'gpt-4o-mini-2024-07-18', at })?.key).toBe('gpt-4o-mini');
    expect(b.lookup({ provider: ANTHROPIC, model: 'claude-sonnet-4-5-20250929', at })?.key).toBe(
      'claude-sonnet-4-5',
    );
    expect(b.lookup({ provider: ANTHROPIC, model: 'claude-opus-4-6', at })?.key).toBe('claude-opus-4-6');
    expect(b.lookup({ provider: OPENAI, model: 'o3-pro', at })?.key).toBe('o3-pro');
    expect(b.lookup({ provider: OPENAI, model: 'gpt-5-pro', at })?.key).toBe('gpt-5-pro');
    // Not in the catalog: unpriced, never `claude-opus-4` or `gpt-4o-mini`.
    expect(b.lookup({ provider: ANTHROPIC, model: 'claude-opus-4-9', at })).toBeUndefined();
    expect(b.lookup({ provider: OPENAI, model: 'gpt-4o-minix', at })).toBeUndefined();
  });

  it('exposes the context window when the catalog has it', () => {
    expect(book().lookup({ provider: OPENAI, model: 'gpt-5', at })?.contextWindow).toBe(400_000);
  });
});

describe("the user's prices", () => {
  it('always win, by model or by provider/model, dated names included', () => {
    const b = book({ 'gpt-4o': { input: 1, output: 2 }, 'az/gpt-4o': { input: 3, output: 4 } });
    const one = usage({ inputTokens: 1_000_000 });
    expect(priceUsage(b.lookup({ provider: OPENAI, model: 'gpt-4o', at }), one)).toBe(1);
    expect(priceUsage(b.lookup({ provider: OPENAI, model: 'gpt-4o-2024-08-06', at }), one)).toBe(1);
    expect(priceUsage(b.lookup({ provider: AZURE, model: 'gpt-4o', at }), one)).toBe(3);
    expect(b.lookup({ provider: OPENAI, model: 'gpt-4o', at })?.source).toBe('user');
  });

  it('follow the Anthropic cache multiples when only input/output are set', () => {
    // $2 in: read 0.1× = $0.20, 5m write 1.25× = $2.50, 1h write 2× = $4; $10 out:
    // 1000×2 + 1000×0.2 + 1000×2.5 + 1000×4 + 1000×10 = 18700 per 1M → $0.0187
    const b = book({ 'my-claude': { input: 2, output: 10 } });
    const m = b.lookup({ provider: ANTHROPIC, model: 'my-claude', at });
    const u = usage({
      inputTokens: 4000,
      cachedInputTokens: 1000,
      cacheWriteTokens: 2000,
      cacheWrite1hTokens: 1000,
      outputTokens: 1000,
    });
    expect(priceUsage(m, u)).toBe(0.0187);
  });

  it('price OpenAI-family cache tokens at the input rate when no cache price is set', () => {
    // $2 in, $8 out, no cache prices: 1000 input all at $2 + 100×8 = 2800 per 1M → $0.0028
    const b = book({ 'local-model': { input: 2, output: 8 } });
    const m = b.lookup({ provider: LOCAL, model: 'local-model', at });
    expect(priceUsage(m, usage({ inputTokens: 1000, cachedInputTokens: 500, outputTokens: 100 }))).toBe(
      0.0028,
    );
  });

  it('see a new config object without being recreated', () => {
    let user: Record<string, Price> = {};
    const b = createPrices({ catalog: () => catalog, user: () => user, legacy: () => ({}) });
    expect(b.lookup({ provider: LOCAL, model: 'mine', at })).toBeUndefined();
    user = { mine: { input: 0, output: 0 } };
    expect(priceUsage(b.lookup({ provider: LOCAL, model: 'mine', at }), usage({ inputTokens: 5 }))).toBe(0);
  });
});

describe("an older version's prices.json", () => {
  it('prices exact names the catalog lacks, never over the catalog', () => {
    const legacy = { 'my-old-model': { input: 1, output: 1 }, 'gpt-4o': { input: 99, output: 99 } };
    const b = book({}, legacy);
    expect(b.lookup({ provider: OPENAI, model: 'my-old-model', at })?.source).toBe('refreshed');
    expect(b.lookup({ provider: OPENAI, model: 'gpt-4o', at })?.source).toBe('catalog');
  });
});

describe('cost', () => {
  it('reasoning is never added twice', () => {
    const m = book().lookup({ provider: OPENAI, model: 'gpt-4o-mini', at });
    const a = priceUsage(m, usage({ inputTokens: 10, outputTokens: 100 }));
    expect(priceUsage(m, usage({ inputTokens: 10, outputTokens: 100, reasoningTokens: 90 }))).toBe(a);
  });

  it('an unpriced model is null, and a reported provider charge is the cost even then', () => {
    expect(priceUsage(undefined, usage({ inputTokens: 10 }))).toBeNull();
    expect(priceUsage(undefined, usage({ inputTokens: 10, providerCostUsd: 0.25 }))).toBe(0.25);
  });

  it('a part larger than its whole is unpriced, not a negative cost', () => {
    const m = book().lookup({ provider: OPENAI, model: 'gpt-4o-mini', at });
    expect(priceUsage(m, usage({ inputTokens: 10, cachedInputTokens: 20 }))).toBeNull();
  });

  it('millions of tokens at round prices cost round dollars, with no float left over', () => {
    // The user's own $1 in / $2 out (round 20 recorded $3.0000000001 for this):
    // 1,000,000×1 + 1,000,000×2 = 3,000,000 per 1M → $3
    const mine = book({ mine: { input: 1, output: 2 } }).lookup({ provider: LOCAL, model: 'mine', at });
    expect(priceUsage(mine, usage({ inputTokens: 1_000_000, outputTokens: 1_000_000 }))).toBe(3);
    // gpt-4o $2.50 in / $1.25 cached / $10 out, gpt-4.1 $2 / $0.50 / $8 per 1M
    // (https://platform.openai.com/docs/pricing, read 2026-11-27; was 12.5000000001 and 9.9999999998):
    // gpt-4o 1,000,000×2.5 + 1,000,000×10 = $12.50; 7M each: 7×12.5 = $87.50
    // gpt-4.1 1,000,000×2 + 1,000,000×8 = $10; with 400,000 of 3M input cached:
    // 2,600,000×2 + 400,000×0.5 + 3,000,000×8 = 5,200,000 + 200,000 + 24,000,000 → $29.40
    const b = book();
    const gpt4o = b.lookup({ provider: OPENAI, model: 'gpt-4o', at });
    const gpt41 = b.lookup({ provider: OPENAI, model: 'gpt-4.1', at });
    expect(priceUsage(gpt4o, usage({ inputTokens: 1_000_000, outputTokens: 1_000_000 }))).toBe(12.5);
    expect(priceUsage(gpt4o, usage({ inputTokens: 7_000_000, outputTokens: 7_000_000 }))).toBe(87.5);
    expect(priceUsage(gpt41, usage({ inputTokens: 1_000_000, outputTokens: 1_000_000 }))).toBe(10);
    expect(
      priceUsage(
        gpt41,
        usage({ inputTokens: 3_000_000, cachedInputTokens: 400_000, outputTokens: 3_000_000 }),
      ),
    ).toBe(29.4);
  });

  it('the fast path for plain tokens equals the library itself, across tiers and prices', () => {
    const models: Array<[ServingProvider, string]> = [
      [OPENAI, 'gpt-4o-mini'],
      [OPENAI, 'gpt-5.4'],
      [ANTHROPIC, 'claude-sonnet-4-5'],
      [ANTHROPIC, 'claude-opus-4-6'],
      [{ ...LOCAL, priceProvider: 'deepseek' }, 'deepseek-v4-pro'],
      // A fee per request beside the tokens.
      [{ ...LOCAL, priceProvider: 'perplexity' }, 'sonar'],
    ];
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const b = book();
    for (const [provider, model] of models) {
      for (let i = 0; i < 200; i++) {
        const input = rand(400_000) + 1;
        const cached = rand(input);
        const write = rand(input - cached + 1);
        const u = usage({
          inputTokens: input,
          cachedInputTokens: cached,
          cacheWriteTokens: write,
          // 1-hour writes and searches only where the model has a price for them (else unpriced).
          cacheWrite1hTokens: model.startsWith('claude') ? rand(write + 1) : 0,
          outputTokens: rand(50_000),
          webSearchRequests: model.startsWith('claude') ? rand(3) : 0,
        });
        const when = new Date(at.getTime() + rand(86_400) * 1000);
        const m = b.lookup({ provider, model, at: when })!;
        const lib = calcPrice(catalogUsage(u), m.priced.modelId, {
          provider: m.priced.provider,
          timestamp: when,
        });
        expect(priceUsage(m, u)).toBe(Math.round(lib!.total_price * 1e10) / 1e10);
      }
    }
  });
});
