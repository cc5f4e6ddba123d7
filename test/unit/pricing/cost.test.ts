import { describe, expect, it } from 'vitest';
import { BUILTIN_PRICES, costUsd } from '../../../main/core/pricing/index.js';
import type { Usage } from '../../../shared/usage.js';

const usage = (u: Partial<Usage>): Usage => ({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  ...u,
});

describe('costUsd', () => {
  it('WIRE-FACTS worked example: gpt-4o-mini, 1000 prompt (200 cached), 500 completion = $0.000435', () => {
    const price = BUILTIN_PRICES['gpt-4o-mini'];
    expect(price).toEqual({ input: 0.15, cachedInput: 0.075, output: 0.6 });
    // 800×0.15e-6 + 200×0.075e-6 + 500×0.60e-6 = 0.00012 + 0.000015 + 0.0003
    expect(
      costUsd('openai', price!, usage({ inputTokens: 1000, cachedInputTokens: 200, outputTokens: 500 })),
    ).toBe(0.000435);
  });

  it('reasoning tokens are inside output and never added again', () => {
    const price = { input: 1.25, cachedInput: 0.125, output: 10 };
    // 1000×1.25 + 2000×10 = 21,250 per 1M → $0.02125, whatever the reasoning share.
    const u = usage({ inputTokens: 1000, outputTokens: 2000, reasoningTokens: 1800 });
    expect(costUsd('openai', price, u)).toBe(0.02125);
  });

  it('Anthropic with cache reads and writes, worked by hand', () => {
    // claude-sonnet-4-5: $3 in, $15 out, $3.75 cache write, $0.30 cache read per 1M.
    // Wire: input_tokens 1000, cache_creation 2000, cache_read 10000, output 500
    //   → inputTokens 13000 = 1000 + 2000 + 10000.
    // 1000×3 + 2000×3.75 + 10000×0.30 + 500×15 = 3000 + 7500 + 3000 + 7500 = 21,000 per 1M = $0.021
    const u = usage({
      inputTokens: 13000,
      cachedInputTokens: 10000,
      cacheWriteTokens: 2000,
      outputTokens: 500,
    });
    expect(costUsd('anthropic', BUILTIN_PRICES['claude-sonnet-4-5']!, u)).toBe(0.021);
  });

  it('Anthropic fallback: cache read 0.1× and cache write 1.25× input when the price has none', () => {
    // $1 in, $5 out: 100×1 + 1000×1.25 + 5000×0.1 + 10×5 = 100 + 1250 + 500 + 50 = 1900 per 1M
    const u = usage({ inputTokens: 6100, cachedInputTokens: 5000, cacheWriteTokens: 1000, outputTokens: 10 });
    expect(costUsd('anthropic', { input: 1, output: 5 }, u)).toBe(0.0019);
  });

  it('OpenAI fallback: cached and cache-written tokens at the input rate when unpriced', () => {
    // $2 in, $8 out, no cache prices: (1000 input all at $2) + 100×8 = 2000 + 800 = 2800 per 1M
    const u = usage({ inputTokens: 1000, cachedInputTokens: 600, cacheWriteTokens: 100, outputTokens: 100 });
    expect(costUsd('openai', { input: 2, output: 8 }, u)).toBe(0.0028);
  });

  it('explicit cache prices win over the fallbacks in both families', () => {
    const price = { input: 2, output: 8, cachedInput: 0.5, cacheWrite: 3 };
    // 300×2 + 600×0.5 + 100×3 + 0 = 600 + 300 + 300 = 1200 per 1M
    const u = usage({ inputTokens: 1000, cachedInputTokens: 600, cacheWriteTokens: 100 });
    expect(costUsd('openai', price, u)).toBe(0.0012);
    expect(costUsd('anthropic', price, u)).toBe(0.0012);
  });

  it('rounds to 1e-10 USD and gives exact cents for large sums', () => {
    // 1 token at $0.15/1M = 1.5e-7; 3 tokens at $0.1/1M = 3e-7 (not 3.0000000000000004e-7)
    expect(costUsd('openai', { input: 0.15, output: 0 }, usage({ inputTokens: 1 }))).toBe(1.5e-7);
    expect(costUsd('openai', { input: 0.1, output: 0 }, usage({ inputTokens: 3 }))).toBe(3e-7);
    // 1M output tokens of claude-opus-4-1 at $75 = $75 exactly.
    expect(costUsd('anthropic', BUILTIN_PRICES['claude-opus-4-1']!, usage({ outputTokens: 1_000_000 }))).toBe(
      75,
    );
  });
});
