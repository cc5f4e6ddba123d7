// Exact spend and hard limits, end to end: official SDKs → proxy → loopback upstream → ledger.
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
const usageOf = async (tool: string) =>
  (await h.admin.call('usage', { query: { by: 'tool' } })).find((r) => r.tool === tool);

describe('exact cost per tool', () => {
  it('prices OpenAI cached input and Anthropic cache reads/writes, streaming and not', async () => {
    const token = await h.tool('mix');
    // gpt-4o-mini at $0.15 / $0.075 cached / $0.60 per 1M: 800×0.15e-6 + 200×0.075e-6 + 500×0.60e-6 = $0.000435
    h.upstream.usage = { prompt: 1000, cached: 200, completion: 500, reasoning: 100 };
    await openai(token).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'a' }],
    });
    const s = await openai(token).chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'a' }],
    });
    for await (const _ of s);
    // claude-sonnet-4-5 at $3 in, $15 out, cache write 1.25× = $3.75, cache read 0.1× = $0.30:
    // 100×3e-6 + 1000×3.75e-6 + 2000×0.30e-6 + 50×15e-6 = 0.0003 + 0.00375 + 0.0006 + 0.00075 = $0.0054
    h.upstream.usage = { prompt: 100, cacheWrite: 1000, cacheRead: 2000, completion: 50 };
    await anthropic(token).messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'a' }],
    });
    const stream = anthropic(token).messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'a' }],
    });
    await stream.finalMessage();

    await expect.poll(() => usageOf('mix').then((r) => r?.requests)).toBe(4);
    const row = (await usageOf('mix'))!;
    expect(row.costUsd).toBeCloseTo(2 * 0.000435 + 2 * 0.0054, 12);
    expect(row.inputTokens).toBe(2 * 1000 + 2 * (100 + 1000 + 2000));
    expect(row.cachedInputTokens).toBe(2 * 200 + 2 * 2000);
    expect(row.cacheWriteTokens).toBe(2 * 1000);
    // Anthropic's streamed message_delta usage is cumulative: 50, not 2 + 50.
    expect(row.outputTokens).toBe(2 * 500 + 2 * 50);
    expect(row.reasoningTokens).toBe(2 * 100);
    expect(row.unpriced).toBe(0);
    const records = await h.records('mix');
    expect(records.map((r) => r.streamed).sort()).toEqual([false, false, true, true]);
    expect(records.every((r) => !r.estimated)).toBe(true);
  });

  it('records an unknown model as unpriced, never $0', async () => {
    const token = await h.tool('unknown-model');
    h.upstream.usage = { prompt: 10, completion: 10 };
    await openai(token).chat.completions.create({
      model: 'my-local-llama',
      messages: [{ role: 'user', content: 'a' }],
    });
    await expect.poll(() => usageOf('unknown-model').then((r) => r?.unpriced)).toBe(1);
    const rec = (await h.records('unknown-model'))[0]!;
    expect(rec.costUsd).toBeNull();
  });

  it('records the end user and the project the request names', async () => {
    const token = await h.tool('app');
    h.upstream.usage = { prompt: 10, completion: 10 };
    const client = new OpenAI({
      baseURL: `${h.core.url}/v1`,
      apiKey: token,
      maxRetries: 0,
      defaultHeaders: { 'x-shimmy-project': 'checkout' },
    });
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      user: 'user-42',
      messages: [{ role: 'user', content: 'a' }],
    });
    await anthropic(token).messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 10,
      metadata: { user_id: 'user-43' },
      messages: [{ role: 'user', content: 'a' }],
    });
    const rows = await h.admin.call('usage', { query: { by: 'user' } });
    expect(
      rows
        .map((r) => r.user)
        .filter(Boolean)
        .sort(),
    ).toEqual(expect.arrayContaining(['user-42', 'user-43']));
    const byProject = await h.admin.call('usage', { query: { by: 'project' } });
    expect(byProject.find((r) => r.project === 'checkout')?.requests).toBe(1);
  });
});

describe('limits that hold', () => {
  it('lets exactly one of 50 concurrent requests through a budget with room for one', async () => {
    // Worst case of one request: ~10 prompt tokens + 1000 output at $0.60/1M ≈ $0.0006; budget $0.001 has room for one.
    const token = await h.tool('tight', { dailyUsd: 0.001 });
    h.upstream.usage = { prompt: 10, completion: 1000 };
    const client = openai(token);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        client.chat.completions.create({
          model: 'gpt-4o-mini',
          max_tokens: 1000,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    const refusal = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    const err = refusal.reason as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(429);
    expect(err.type).toBe('insufficient_quota');
    expect(err.code).toBe('budget_exceeded');
    expect(err.message).toContain('tight');
    expect(err.headers?.get('x-should-retry')).toBe('false');
  });

  it('ends a stream cleanly when its running cost passes the budget', async () => {
    // 200 × 6 words streamed with no max_tokens; budget covers the reservation but not the whole answer.
    await h.admin.call('putPrice', { params: { model: 'slow-stream' }, body: { input: 1, output: 1000 } });
    const token = await h.tool('cutoff', { dailyUsd: 0.01 });
    const res = await fetch(`${h.core.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'slow-stream',
        stream: true,
        max_tokens: 5,
        messages: [{ role: 'user', content: 'go' }],
      }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const events = text.trim().split('\n\n');
    const last = JSON.parse(events.at(-1)!.replace(/^data: /, ''));
    expect(last.error.code).toBe('budget_exceeded');
    expect(events.length).toBeLessThan(200 * 6);
    await expect
      .poll(() =>
        h.admin.call('listRequests', { query: { tool: 'cutoff' } }).then((p) => p.records[0]?.errorClass),
      )
      .toBe('budget');
    const spent = (await usageOf('cutoff'))!.costUsd;
    // Cut at the first chunk past $0.01: never more than one chunk's worth over.
    expect(spent).toBeGreaterThan(0.009);
    expect(spent).toBeLessThan(0.0125);
  });

  it('refuses past RPM with 429 rate_limit_exceeded, Retry-After and x-ratelimit headers', async () => {
    const token = await h.tool('rpm2', { rpm: 2 });
    const call = () => fetch(`${h.core.url}/v1/models`, { headers: { authorization: `Bearer ${token}` } });
    const first = await call();
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    await call();
    const third = await call();
    expect(third.status).toBe(429);
    const body = await third.json();
    expect(body.error.code).toBe('rate_limit_exceeded');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(third.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(third.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+(\.\d+)?m?s$|^\d+m\d+s$/);
  });

  it('applies a changed limit on the next request, without a restart', async () => {
    const token = await h.tool('changing', { dailyUsd: 100 });
    h.upstream.usage = { prompt: 10, completion: 10 };
    await openai(token).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'a' }],
    });
    await h.admin.call('patchTool', {
      params: { name: 'changing' },
      body: { limits: { dailyUsd: 0.000001 } },
    });
    const err = (await openai(token)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err.status).toBe(429);
    expect(err.code).toBe('budget_exceeded');
  });

  it('Anthropic clients get rate_limit_error for a budget refusal', async () => {
    const token = await h.tool('anthropic-broke', { dailyUsd: 0.000001 });
    const err = (await anthropic(token)
      .messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 1000,
        messages: [{ role: 'user', content: 'a' }],
      })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(err.status).toBe(429);
    expect((err.error as { error: { type: string } }).error.type).toBe('rate_limit_error');
  });
});

describe('durability', () => {
  it('keeps totals and records across a restart', async () => {
    const h2 = await startHarness();
    const token = await h2.tool('persist');
    h2.upstream.usage = { prompt: 1000, cached: 200, completion: 500 };
    const client = new OpenAI({ baseURL: `${h2.core.url}/v1`, apiKey: token, maxRetries: 0 });
    for (let i = 0; i < 3; i++)
      await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'a' }],
      });
    const before = (await h2.admin.call('usage', { query: { by: 'tool' } })).find(
      (r) => r.tool === 'persist',
    )!;
    expect(before.costUsd).toBeCloseTo(3 * 0.000435, 12);
    await h2.core.close();
    await h2.upstream.close();
    const h3 = await startHarness({ dataDir: h2.dataDir, keychainService: h2.keychainService, keys: false });
    try {
      const after = (await h3.admin.call('usage', { query: { by: 'tool' } })).find(
        (r) => r.tool === 'persist',
      )!;
      expect(after).toEqual(before);
      expect(await h3.records('persist')).toHaveLength(3);
    } finally {
      await h3.close();
    }
  });
});
