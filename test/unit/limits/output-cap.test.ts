// Output capped to what the budget can pay for. Prices are the providers' published list prices
// (checked 2026-11-27): claude-sonnet-4-5 $3 in / $3.75 5-minute cache write / $15 out per 1M
// (anthropic.com/pricing); gpt-4o-mini $0.15 in / $0.60 out per 1M (openai.com/api/pricing).
// Each expected cap is worked by hand below its case.
import { describe, expect, it } from 'vitest';
import type { Price } from '../../../shared/prices.js';
import type { ApiFamily, Usage } from '../../../shared/usage.js';
import { modelMaxOutput } from '../../../main/core/limits/model-max-output.js';
import { planOutput, withinOutputLimit } from '../../../main/core/limits/output-cap.js';
import { readOutputLimit, withOutputLimit } from '../../../main/core/limits/output-limit-field.js';
import { reservedInput } from '../../../main/core/limits/reserved-input.js';
import { bundledCatalog, createPrices, priceUsage } from '../../../main/core/pricing/index.js';

const SONNET: Price = { input: 3, cacheWrite: 3.75, cachedInput: 0.3, output: 15 };
const MINI: Price = { input: 0.15, cachedInput: 0.075, output: 0.6 };
const catalog = await bundledCatalog();
/** The price as a user's own (config.prices) for a provider of that family: the ledger's cost function. */
const costWith = (family: ApiFamily, price: Price) => {
  const prices = createPrices({ catalog: () => catalog, user: () => ({ m: price }), legacy: () => ({}) });
  const provider = { name: 'p', kind: family, baseUrl: 'http://127.0.0.1:9/v1' };
  const match = prices.lookup({ provider, model: 'm', at: new Date('2026-11-27T12:00:00Z') });
  return (u: Usage) => priceUsage(match, u);
};

describe('reservedInput: the prompt at its dearest billing', () => {
  it('Anthropic cache_control reserves the input at the cache-write rate', () => {
    const body = {
      system: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral' } }],
      messages: [],
    };
    // 100,000 × $3.75 / 1M = $0.375 (plain: × $3 = $0.30)
    expect(reservedInput('anthropic', body, 100_000, costWith('anthropic', SONNET))?.usd).toBe(0.375);
    expect(reservedInput('anthropic', { messages: [] }, 100_000, costWith('anthropic', SONNET))?.usd).toBe(
      0.3,
    );
  });
});

describe('planOutput', () => {
  it('lowers the limit to what is left, counting the cache-write premium', () => {
    const cost = costWith('anthropic', SONNET);
    const body = {
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral' } }] },
      ],
    };
    const input = reservedInput('anthropic', body, 100_000, cost)!;
    const plan = planOutput({ cost, input: input.usage, wanted: 64_000, choices: 1, headroomUsd: 1 });
    // $0.375 input + 64,000 × $15/1M = $1.335 > $1 → floor((1 − 0.375) / 0.000015) = floor(41,666.7)
    expect(plan).toMatchObject({ kind: 'capped', limit: 41_666, wanted: 64_000 });
    // 0.375 + 41,666 × 0.000015 = 0.99999
    expect(plan.usd).toBe(0.99999);
  });

  it('fits as asked when the budget has room (Claude Code, sonnet, max_tokens 32,000, $1 left)', () => {
    const cost = costWith('anthropic', SONNET);
    const input = reservedInput('anthropic', {}, 20_000, cost)!;
    // 20,000 × $3/1M + 32,000 × $15/1M = 0.06 + 0.48 = $0.54
    expect(planOutput({ cost, input: input.usage, wanted: 32_000, choices: 1, headroomUsd: 1 })).toEqual({
      kind: 'fits',
      limit: 32_000,
      usd: 0.54,
    });
  });

  it('a long-context prompt is reserved at the tier price its whole request is billed at', () => {
    // gemini-2.5-pro (ai.google.dev/gemini-api/docs/pricing, checked 2026-11-27): prompts up to
    // 200K tokens $1.25 in / $10 out per 1M; longer prompts $2.50 in / $15 out per 1M, for the
    // whole request. Served by Google's own API (the `google` preset's base URL).
    const prices = createPrices({ catalog: () => catalog, user: () => ({}), legacy: () => ({}) });
    const provider = {
      name: 'google',
      kind: 'gemini' as const,
      baseUrl: 'https://generativelanguage.googleapis.com',
    };
    const match = prices.lookup({ provider, model: 'gemini-2.5-pro', at: new Date('2026-11-27T12:00:00Z') });
    const cost = (u: Usage) => priceUsage(match, u);

    const long = reservedInput('gemini', {}, 250_000, cost)!;
    // 250,000 × $2.50 / 1M = $0.625
    expect(long.usd).toBeCloseTo(0.625, 12);
    // $1.00 left: ($1.00 − $0.625) / ($15 / 1M) = 25,000 output tokens (at $10 it would be 37,500).
    const capped = planOutput({ cost, input: long.usage, wanted: 65_536, choices: 1, headroomUsd: 1 });
    expect(capped.kind).toBe('capped');
    expect(capped.limit).toBeGreaterThanOrEqual(24_999);
    expect(capped.limit).toBeLessThanOrEqual(25_000);

    // Under the threshold the same dollar pays for the model's whole 65,536-token maximum:
    // 150,000 × $1.25 / 1M + 65,536 × $10 / 1M = $0.1875 + $0.65536 = $0.84286.
    const short = reservedInput('gemini', {}, 150_000, cost)!;
    expect(
      planOutput({ cost, input: short.usage, wanted: 65_536, choices: 1, headroomUsd: 1 }),
    ).toMatchObject({
      kind: 'fits',
      limit: 65_536,
    });
    expect(cost({ ...short.usage, outputTokens: 65_536 })).toBeCloseTo(0.84286, 10);
  });

  it('n answers share the budget: the per-answer limit is divided by n', () => {
    const cost = costWith('openai', MINI);
    const input = reservedInput('openai', {}, 1000, cost)!;
    const plan = planOutput({ cost, input: input.usage, wanted: 16_384, choices: 4, headroomUsd: 0.01 });
    // input 1,000 × $0.15/1M = $0.00015; floor((0.01 − 0.00015) / (4 × $0.6/1M)) = floor(4,104.17)
    expect(plan).toMatchObject({ kind: 'capped', limit: 4104 });
    expect(plan.usd).toBeLessThanOrEqual(0.01);
  });

  it('refuses when not even the 1,024-token floor fits', () => {
    const cost = costWith('openai', MINI);
    const input = reservedInput('openai', {}, 1000, cost)!;
    // $0.00015 + 1,024 × $0.6/1M = $0.0007644 > $0.0005
    expect(planOutput({ cost, input: input.usage, wanted: 16_384, choices: 1, headroomUsd: 0.0005 })).toEqual(
      {
        kind: 'refused',
        limit: 1024,
        usd: 0.0007644,
      },
    );
  });
});

describe('output limit fields', () => {
  it("reads each API's limit and answer count", () => {
    expect(readOutputLimit('chat', { max_completion_tokens: 300, n: 3 })).toEqual({
      requested: 300,
      choices: 3,
    });
    expect(readOutputLimit('responses', { max_output_tokens: 2048 })).toEqual({
      requested: 2048,
      choices: 1,
    });
    expect(readOutputLimit('messages', { max_tokens: 32_000 })).toEqual({ requested: 32_000, choices: 1 });
    expect(readOutputLimit('chat', { messages: [] })).toEqual({ requested: undefined, choices: 1 });
  });

  it('writes the field the model takes; reasoning models get max_completion_tokens', () => {
    expect(withOutputLimit('chat', { model: 'gpt-5' }, 'gpt-5', 500)).toEqual({
      model: 'gpt-5',
      max_completion_tokens: 500,
    });
    expect(withOutputLimit('chat', {}, 'gpt-4o', 500)).toEqual({ max_tokens: 500 });
    expect(withOutputLimit('chat', { max_completion_tokens: 9000 }, 'gpt-4o', 500)).toEqual({
      max_completion_tokens: 500,
    });
    expect(withOutputLimit('responses', { max_output_tokens: 9000 }, 'gpt-5', 500)).toEqual({
      max_output_tokens: 500,
    });
    expect(
      withOutputLimit(
        'other',
        {
          contents: [],
          generationConfig: { maxOutputTokens: 9000, thinkingConfig: { thinkingBudget: 8000 } },
        },
        'gemini-2.5-pro',
        500,
      ),
    ).toEqual({
      contents: [],
      generationConfig: { maxOutputTokens: 500, thinkingConfig: { thinkingBudget: 499 } },
    });
  });

  it('Gemini: snake_case generation_config is read and written in place', () => {
    const body = {
      contents: [],
      generation_config: { max_output_tokens: 9000, thinking_config: { thinking_budget: 8000 } },
    };
    expect(readOutputLimit('generate_content', body)).toEqual({ requested: 9000, choices: 1 });
    expect(withOutputLimit('generate_content', body, 'gemini-2.5-pro', 500)).toEqual({
      contents: [],
      generation_config: { maxOutputTokens: 500, thinking_config: { thinking_budget: 499 } },
    });
  });

  // red15 (2026-11-29): with both spellings present, the reservation read generationConfig's 200
  // and sent generation_config's 60,000 on unchanged; a server reading the snake_case block (or
  // the snake_case field) may write 60,000 on a budget sized for 200. Either may be the one read,
  // so the larger is reserved and every spelling is lowered.
  it('Gemini: with both generationConfig and generation_config, the larger is read and both are lowered', () => {
    const body = {
      contents: [],
      generationConfig: { maxOutputTokens: 200, max_output_tokens: 30_000 },
      generation_config: {
        maxOutputTokens: 60_000,
        thinkingConfig: { thinkingBudget: 50_000 },
        thinking_config: { thinking_budget: 40_000 },
        candidateCount: 2,
      },
    };
    expect(readOutputLimit('generate_content', body)).toEqual({ requested: 60_000, choices: 2 });
    expect(withOutputLimit('generate_content', body, 'gemini-2.5-pro', 500)).toEqual({
      contents: [],
      generationConfig: { maxOutputTokens: 500 },
      generation_config: {
        maxOutputTokens: 500,
        thinkingConfig: { thinkingBudget: 499 },
        thinking_config: { thinking_budget: 499 },
        candidateCount: 2,
      },
    });
  });

  it('Anthropic thinking stays below max_tokens, in the ratio the request asked for', () => {
    const body = { max_tokens: 32_000, thinking: { type: 'enabled', budget_tokens: 31_999 } };
    // floor(31,999 × 13,331 / 32,000) = 13,330, which is < 13,331
    expect(withOutputLimit('messages', body, 'claude-opus-4-1', 13_331)).toEqual({
      max_tokens: 13_331,
      thinking: { type: 'enabled', budget_tokens: 13_330 },
    });
    // 1,024 tokens cannot hold the 1,024-token minimum thinking budget and an answer
    expect(typeof withOutputLimit('messages', body, 'claude-opus-4-1', 1024)).toBe('string');
  });
});

describe('modelMaxOutput', () => {
  it('knows the families (dated snapshots and provider prefixes included), else a high default', () => {
    expect(modelMaxOutput('claude-opus-4-1-20250805')).toEqual({ tokens: 32_000, source: 'table' });
    expect(modelMaxOutput('claude-sonnet-4-5-20250929').tokens).toBe(64_000);
    expect(modelMaxOutput('gpt-5-2025-08-07').tokens).toBe(128_000);
    expect(modelMaxOutput('gpt-4o-mini').tokens).toBe(16_384);
    expect(modelMaxOutput('openai/gpt-4.1-mini').tokens).toBe(32_768);
    expect(modelMaxOutput('o3').tokens).toBe(100_000);
    expect(modelMaxOutput('some-new-model')).toEqual({ tokens: 128_000, source: 'default' });
  });
});

describe('withinOutputLimit: a running estimate against the limit the upstream enforces', () => {
  const usage = (outputTokens: number): Usage => ({
    inputTokens: 10,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens,
    reasoningTokens: outputTokens,
  });
  it('holds an estimate up to 25% over the limit to the limit (the provider cannot write more)', () => {
    // 1,000 characters of Claude text estimated at 1000 / 3.5 = 286 tokens, max_tokens 250
    expect(withinOutputLimit(usage(286), 250)).toMatchObject({ outputTokens: 250, reasoningTokens: 250 });
    expect(withinOutputLimit(usage(200), 250).outputTokens).toBe(200);
  });
  it('keeps an estimate far past the limit (an upstream ignoring it) and one with no limit', () => {
    expect(withinOutputLimit(usage(313), 250).outputTokens).toBe(313);
    expect(withinOutputLimit(usage(5000), undefined).outputTokens).toBe(5000);
  });
});
