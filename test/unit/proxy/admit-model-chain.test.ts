// Step 1 of admit (proxy/stages/admit/model-chain.ts): the models that may serve a request and the
// cost function its reservation is priced with. Prices are the user's own (config.prices), so each
// expected cost is worked by hand beside its case: "cheap" $1 in / $2 out per 1M, "dear" $3 in /
// $4 out per 1M.
import { describe, expect, it } from 'vitest';
import type { Provider } from '../../../shared/config.js';
import type { Price } from '../../../shared/prices.js';
import { ZERO_USAGE } from '../../../shared/usage.js';
import { bundledCatalog, createPrices } from '../../../main/core/pricing/index.js';
import { priceModelChain, type ChainRequest } from '../../../main/core/proxy/stages/admit/model-chain.js';
import { Refused } from '../../../main/core/proxy/refused.js';
import { makeTool } from '../limits/fixtures.js';

const catalog = await bundledCatalog();
const user: Record<string, Price> = { cheap: { input: 1, output: 2 }, dear: { input: 3, output: 4 } };
const prices = createPrices({ catalog: () => catalog, user: () => user, legacy: () => ({}) });
const anthropic: Provider = { name: 'p', kind: 'anthropic', baseUrl: 'http://127.0.0.1:9/v1' };
const budgetTool = makeTool('t', { dailyUsd: 1 });
const request = (over: Partial<ChainRequest>): ChainRequest => ({
  tool: budgetTool,
  endpoint: 'messages',
  time: new Date('2026-11-30T00:00:00Z'),
  json: { model: 'cheap', max_tokens: 10, messages: [] },
  provider: anthropic,
  model: 'cheap',
  fallbacks: [],
  budgeted: true,
  metered: true,
  ...over,
});
// 100,000 input + 100,000 output tokens: cheap $0.10 + $0.20 = $0.30, dear $0.30 + $0.40 = $0.70.
const usage = { ...ZERO_USAGE, inputTokens: 100_000, outputTokens: 100_000 };

describe('priceModelChain', () => {
  it('prices the routed model alone when nothing may fall back', () => {
    expect(priceModelChain(prices, request({})).cost?.(usage)).toBe(0.3);
  });

  it('a route fallback may serve it: the dearest of the two', () => {
    const chain = priceModelChain(
      prices,
      request({ fallbacks: [{ provider: anthropic, upstreamModel: 'dear' }] }),
    );
    expect(chain.cost?.(usage)).toBe(0.7);
  });

  it("Anthropic's in-turn fallbacks may each be billed: their sum", () => {
    const json = { model: 'cheap', max_tokens: 10, messages: [], fallbacks: [{ model: 'dear' }] };
    const chain = priceModelChain(prices, request({ json }));
    expect(chain.chain.map((t) => t.upstreamModel)).toEqual(['dear']);
    // $0.30 (cheap) + $0.70 (dear) = $1.00
    expect(chain.cost?.(usage)).toBe(1);
    // Elsewhere a body's fallbacks are one of: the dearest, $0.70.
    expect(priceModelChain(prices, request({ json, endpoint: 'chat' })).cost?.(usage)).toBe(0.7);
  });

  it('refuses a chain with an unpriced fallback under a budget, naming that model', () => {
    const x = request({ fallbacks: [{ provider: anthropic, upstreamModel: 'nobody-prices-this' }] });
    expect(() => priceModelChain(prices, x)).toThrow(Refused);
    expect(() => priceModelChain(prices, x)).toThrow(/Model "nobody-prices-this" has no known price/);
    // Without a budget fallbacks are not priced, and nothing is refused.
    const free = priceModelChain(prices, { ...x, budgeted: false, tool: makeTool('t') });
    expect(free.fallbackPrices).toEqual([]);
    expect(free.cost?.(usage)).toBe(0.3);
  });

  it('refuses fallbacks the provider chooses, unless the tool allows unpriced models', () => {
    const json = { model: 'cheap', max_tokens: 10, messages: [], fallbacks: 'default' };
    expect(() => priceModelChain(prices, request({ json }))).toThrow(
      /may be served by models Shimmy cannot price/,
    );
    const allowed = makeTool('t', { dailyUsd: 1, allowUnpriced: true });
    expect(priceModelChain(prices, request({ json, tool: allowed })).named.unnamed).toBeDefined();
  });
});
