// Budgets that hold for real agent traffic (issue 11, part 3), end to end: official SDKs → proxy →
// a loopback upstream that always writes as much as it is allowed (the worst case) → ledger.
// Prices are the providers' published list prices, checked 2026-11-27: gpt-4o-mini $0.15 in /
// $0.60 out per 1M (openai.com/api/pricing); claude-opus-4-1 $15 in / $75 out per 1M
// (anthropic.com/pricing); gpt-5 $1.25 in / $10 out per 1M. Model maxima: gpt-4o-mini writes at
// most 16,384 tokens (platform.openai.com/docs/models/gpt-4o-mini).
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const openai = (token: string) => new OpenAI({ baseURL: `${h.core.url}/v1`, apiKey: token, maxRetries: 0 });
const anthropic = (token: string) => new Anthropic({ baseURL: h.core.url, apiKey: token, maxRetries: 0 });

describe('output capped, not guessed', () => {
  it("admits Claude Code's first request (opus, max_tokens 32,000, thinking) on a $1/day budget, capped", async () => {
    const token = await h.tool('claude-code', { dailyUsd: 1 });
    // "hi" is 8 input tokens as Shimmy estimates it (3 request + 3 message + ceil(1 × 1.16)); the
    // upstream reports 7, as Claude counts it.
    h.upstream.usage = { prompt: 7, completion: 0 };
    h.upstream.writeToLimit = 64_000;
    // Claude Code streams every request.
    const { data: stream, response } = await anthropic(token)
      .messages.create({
        model: 'claude-opus-4-1',
        max_tokens: 32_000,
        thinking: { type: 'enabled', budget_tokens: 31_999 },
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      })
      .withResponse();
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe('message_stop');
    // $1 / ($75 per 1M) = 13,333.3 output tokens, less the few the prompt costs.
    const capped = Number(response.headers.get('x-shimmy-max-tokens-capped'));
    expect(capped).toBeGreaterThan(13_300);
    expect(capped).toBeLessThanOrEqual(13_333);
    const sent = h.upstream.received.at(-1)!.body as {
      max_tokens: number;
      thinking: { budget_tokens: number };
    };
    expect(sent.max_tokens).toBe(capped);
    expect(sent.thinking.budget_tokens).toBeLessThan(capped);
    expect(sent.thinking.budget_tokens).toBeGreaterThanOrEqual(1024);
    // The answer wrote all it could: 7 × $15/1M + capped × $75/1M, never past $1.
    await expect.poll(() => h.spentBy('claude-code')).toBeCloseTo(7 * 15e-6 + capped * 75e-6, 10);
    expect(await h.spentBy('claude-code')).toBeLessThanOrEqual(1);

    // Nothing worth sending is left: refused, in Anthropic's format.
    const err = (await anthropic(token)
      .messages.create({
        model: 'claude-opus-4-1',
        max_tokens: 32_000,
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(err.status).toBe(429);
    expect(err.message).toContain('Not even a 1024-token answer fits');
    h.upstream.writeToLimit = undefined;
  });

  it('writes a lowered max_output_tokens into a Responses request that named none', async () => {
    const token = await h.tool('codex', { dailyUsd: 0.1 });
    h.upstream.usage = { prompt: 5, completion: 0 };
    h.upstream.writeToLimit = 128_000;
    // gpt-5: $1.25 in / $10 out per 1M, Priority processing $2.50 / $20 (openai.com/api/pricing and
    // openai.com/api-priority-processing, read 2026-11-27). It may write 128,000 tokens ($1.28).
    // A request naming no service_tier is served at the project's tier, which only an answer says:
    // the first is reserved at Priority, so $0.10 pays for ~5,000 at $20 per 1M.
    const first = await openai(token).responses.create({ model: 'gpt-5', input: 'hi' }).withResponse();
    const capped = Number(first.response.headers.get('x-shimmy-max-tokens-capped'));
    expect(capped).toBeGreaterThan(4_990);
    expect(capped).toBeLessThan(5_000);
    expect((h.upstream.received.at(-1)!.body as { max_output_tokens: number }).max_output_tokens).toBe(
      capped,
    );
    // Its answer said `default` (standard): billed 5 × 1.25e-6 + capped × 10e-6, about $0.05.
    await expect.poll(() => h.spentBy('codex')).toBeGreaterThan(0.0499);
    // The next is reserved at the standard rate: the ~$0.05 left pays for ~5,000 more at $10 per 1M.
    const second = await openai(token).responses.create({ model: 'gpt-5', input: 'hi' }).withResponse();
    const cappedAgain = Number(second.response.headers.get('x-shimmy-max-tokens-capped'));
    expect(cappedAgain).toBeGreaterThan(4_980);
    expect(cappedAgain).toBeLessThan(5_010);
    await expect.poll(() => h.spentBy('codex')).toBeGreaterThan(0.0998);
    expect(await h.spentBy('codex')).toBeLessThanOrEqual(0.1);
    h.upstream.writeToLimit = undefined;
  });
});

describe('Gemini native API', () => {
  it('writes generationConfig.maxOutputTokens (lowered, thinking budget below it) into a request that named none', async () => {
    // Gemini 2.5 Flash: $0.30 in / $2.50 out per 1M (ai.google.dev/gemini-api/docs/pricing,
    // 2026-11-27); it may write 65,536 tokens ($0.16). $0.01 pays for ~4,000.
    await h.admin.call('putPrice', {
      params: { model: 'gemini-2.5-flash' },
      body: { input: 0.3, output: 2.5 },
    });
    const token = await h.tool('gemini-cli', { dailyUsd: 0.01 });
    const res = await fetch(`${h.core.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': token, 'content-type': 'application/json' },
      body: JSON.stringify({
        contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
        generationConfig: { thinkingConfig: { thinkingBudget: 24_576 } },
      }),
    });
    expect(res.status).toBe(200);
    const capped = Number(res.headers.get('x-shimmy-max-tokens-capped'));
    // floor((0.01 − a few input tokens × 0.3e-6) / 2.5e-6) just under 4,000
    expect(capped).toBeGreaterThan(3_990);
    expect(capped).toBeLessThan(4_000);
    const sent = h.upstream.received.at(-1)!.body as {
      generationConfig: { maxOutputTokens: number; thinkingConfig: { thinkingBudget: number } };
    };
    expect(sent.generationConfig.maxOutputTokens).toBe(capped);
    expect(sent.generationConfig.thinkingConfig.thinkingBudget).toBe(capped - 1);
  });
});

describe('concurrent requests without max_tokens (measured)', () => {
  // One gpt-4o-mini request for "hi" that writes its 16,384-token maximum: 8 prompt tokens
  // (3 priming + 3 message + "user" 1 + "hi" 1) × $0.15/1M + 16,384 × $0.60/1M = $0.0098316.
  const FULL = 8 * 0.15e-6 + 16_384 * 0.6e-6;
  const cases = [
    { n: 20, room: 1, budget: 0.01 },
    { n: 50, room: 1, budget: 0.01 },
    { n: 20, room: 5, budget: 0.05 },
    { n: 50, room: 5, budget: 0.05 },
  ];
  for (const c of cases) {
    it(`${c.n} at once against room for ${c.room} ($${c.budget}): spend stays within the budget`, async () => {
      const name = `load-${c.n}-${c.room}`;
      const token = await h.tool(name, { dailyUsd: c.budget });
      h.upstream.usage = { prompt: 8, completion: 0 };
      h.upstream.writeToLimit = 16_384;
      const client = openai(token);
      const results = await Promise.allSettled(
        Array.from({ length: c.n }, async (_, i) => {
          const messages = [{ role: 'user' as const, content: 'hi' }];
          if (i % 2 === 0) {
            const { response } = await client.chat.completions
              .create({ model: 'gpt-4o-mini', messages })
              .withResponse();
            return response.headers.get('x-shimmy-max-tokens-capped');
          }
          const { data: stream, response } = await client.chat.completions
            .create({ model: 'gpt-4o-mini', messages, stream: true })
            .withResponse();
          for await (const _ of stream);
          return response.headers.get('x-shimmy-max-tokens-capped');
        }),
      );
      h.upstream.writeToLimit = undefined;
      const admitted = results.filter((r) => r.status === 'fulfilled');
      const capped = admitted.filter((r) => r.value !== null);
      const refused = results.filter((r) => r.status === 'rejected');
      for (const r of refused)
        expect((r.reason as InstanceType<typeof OpenAI.APIError>).code).toBe('budget_exceeded');
      await expect
        .poll(async () => (await h.admin.call('listRequests', { query: { tool: name } })).records.length)
        .toBe(c.n);
      const spent = await h.spentBy(name);
      console.log(
        `[measured] ${c.n} concurrent, room for ${c.room}, budget $${c.budget}: admitted ${admitted.length} ` +
          `(${capped.length} capped), refused ${refused.length}, spent $${spent} = ${((spent / c.budget) * 100).toFixed(2)}% of budget`,
      );
      // Room for `room` full answers: that many run uncapped; what is left may pay one capped answer.
      expect(admitted.length - capped.length).toBe(c.room);
      expect(spent).toBeGreaterThanOrEqual(c.room * FULL - 1e-9);
      expect(spent).toBeLessThanOrEqual(c.budget);
    });
  }
});

describe('unpriced models', () => {
  it('refuses all 20 concurrent requests to an unpriced model on a budgeted tool, naming the fix', async () => {
    const token = await h.tool('unpriced', { dailyUsd: 5 });
    const before = h.upstream.received.length;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        openai(token).chat.completions.create({
          model: 'mystery-model-9',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(0);
    const err = (results[0] as PromiseRejectedResult).reason as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(403);
    expect(err.code).toBe('model_unpriced');
    expect(err.message).toContain('mystery-model-9');
    expect(err.message).toContain('shimmy price set mystery-model-9');
    expect(h.upstream.received.length).toBe(before);
    console.log('[measured] 20 concurrent to an unpriced model with a $5 budget: 0 admitted');

    const anthropicErr = (await anthropic(token)
      .messages.create({
        model: 'claude-mystery-1',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'hi' }],
      })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(anthropicErr.status).toBe(403);
    expect((anthropicErr.error as { error: { type: string } }).error.type).toBe('permission_error');
  });

  it('lets a tool that opted in use unpriced models; its spend then shows as incomplete', async () => {
    const token = await h.tool('brave', { dailyUsd: 5, allowUnpriced: true });
    h.upstream.usage = { prompt: 10, completion: 10 };
    await openai(token).chat.completions.create({
      model: 'mystery-model-9',
      messages: [{ role: 'user', content: 'hi' }],
    });
    await expect
      .poll(async () => (await h.admin.call('overview')).tools.find((t) => t.name === 'brave')?.unpricedToday)
      .toBe(1);
  });
});

describe('failover to a dearer model', () => {
  it('reserves at the dearest model of the fallback chain, so the answer it serves stays in budget', async () => {
    // gpt-4o-mini $0.15 in / $0.60 out, gpt-4o $2.50 in / $10 out per 1M (openai.com/api/pricing,
    // checked 2026-11-27). The routed provider is down (nothing listens on port 9), its fallback
    // serves gpt-4o, and the upstream writes as much as it is allowed.
    await h.admin.call('addProvider', {
      body: { name: 'down', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1' },
    });
    await h.admin.call('putKey', { body: { provider: 'down', key: 'sk-down-000000000001' } });
    await h.admin.call('patchProvider', { params: { name: 'down' }, body: { fallback: 'openai/gpt-4o' } });
    const token = await h.tool('failover', { dailyUsd: 0.05 });
    h.upstream.usage = { prompt: 5, completion: 0 };
    h.upstream.writeToLimit = 100_000;
    const { response } = await openai(token)
      .chat.completions.create({ model: 'down/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    h.upstream.writeToLimit = undefined;
    const rec = (await h.admin.call('listRequests', { query: { tool: 'failover', limit: '1' } })).records[0]!;
    expect(rec.model).toBe('gpt-4o');
    expect(rec.failovers?.length).toBe(1);
    // Sized for gpt-4o: ($0.05 − the prompt) / ($10 / 1M) ≈ 5,000 output tokens. Sized for
    // gpt-4o-mini it would have been its whole 16,384 ($0.0098 there, $0.164 on gpt-4o).
    const capped = Number(response.headers.get('x-shimmy-max-tokens-capped'));
    expect(capped).toBeGreaterThan(4_990);
    expect(capped).toBeLessThanOrEqual(5_000);
    // 5 × $2.50/1M + capped × $10/1M, never past $0.05.
    await expect.poll(() => h.spentBy('failover')).toBeCloseTo(5 * 2.5e-6 + capped * 10e-6, 10);
    expect(await h.spentBy('failover')).toBeLessThanOrEqual(0.05);
  });

  it('refuses, naming it, when a fallback model has no price (it could serve the request)', async () => {
    await h.admin.call('patchProvider', {
      params: { name: 'down' },
      body: { fallback: 'openai/mystery-model-x' },
    });
    const token = await h.tool('failover-unpriced', { dailyUsd: 0.05 });
    const err = (await openai(token)
      .chat.completions.create({ model: 'down/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(403);
    expect(err.message).toContain('mystery-model-x');
  });
});
