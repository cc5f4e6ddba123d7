// An OpenAI-compatible server that is not OpenAI may read only `max_tokens`: DeepSeek ignores
// max_completion_tokens (the field the OpenAI SDK documents) and writes up to its default, 4,096
// (api-docs.deepseek.com, "Create Chat Completion", read 2026-11-29). Under a USD budget the limit
// the reservation counted is written as max_tokens too — when it fits and when it is lowered —
// and OpenAI itself gets only the field it reads.
// Prices: deepseek-chat $0.27 in / $1.10 out per 1M (the bundled @pydantic/genai-prices entry,
// as the pricing conformance cases cite it); gpt-4o-mini $0.15 / $0.60 per 1M
// (platform.openai.com/docs/pricing, read 2026-11-27).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { startJsonProvider, type JsonProvider } from '../support/json-provider.js';

/** Noon UTC, in DeepSeek's standard-price window (00:30–16:30 UTC in the bundled catalog). */
const STANDARD_HOURS = '2026-11-27T12:00:00Z';
let h: Harness;
let provider: JsonProvider;
const received: Array<{ path: string; body: Record<string, unknown> }> = [];

beforeAll(async () => {
  // A fixed clock inside DeepSeek's standard-price hours: the catalog prices deepseek-chat at half
  // from 16:30 to 00:30 UTC (off-peak), and a run then failed at exactly half of each figure here.
  h = await startHarness({ core: { now: () => new Date(STANDARD_HOURS) } });
  // /deepseek/v1: reads max_tokens only (4,096 without it); /v1: OpenAI, reads max_completion_tokens.
  provider = await startJsonProvider((path, b) => {
    received.push({ path, body: b });
    const out = path.startsWith('/deepseek/')
      ? typeof b.max_tokens === 'number'
        ? b.max_tokens
        : 4096
      : Number(b.max_completion_tokens ?? b.max_tokens ?? 16);
    return {
      id: 'chatcmpl-x',
      object: 'chat.completion',
      created: 1,
      model: b.model,
      choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'length' }],
      usage: { prompt_tokens: 8, completion_tokens: out, total_tokens: 8 + out },
    };
  });
  await h.point('openai', provider.url);
  await h.admin.call('addProvider', {
    body: {
      name: 'deepseek',
      kind: 'openai',
      baseUrl: `${provider.url}/deepseek/v1`,
      priceProvider: 'deepseek',
    },
  });
  await h.admin.call('putKey', { body: { provider: 'deepseek', key: 'sk-test-deepseek-key-4444ABCD' } });
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

async function chat(token: string, model: string, body: Record<string, unknown>) {
  const res = await fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...body }),
  });
  await res.arrayBuffer();
  return res;
}

it('a max_completion_tokens that fits is also sent as max_tokens to DeepSeek', async () => {
  // 8 × 0.27e-6 + 100 × 1.1e-6 = $0.00011216 (without the field DeepSeek wrote 4,096: $0.00450776).
  const token = await h.tool('ds-fits', { dailyUsd: 0.002 });
  const res = await chat(token, 'deepseek/deepseek-chat', { max_completion_tokens: 100 });
  expect(res.status).toBe(200);
  expect(received.at(-1)!.body).toMatchObject({ max_completion_tokens: 100, max_tokens: 100 });
  await expect.poll(() => h.spentBy('ds-fits')).toBeGreaterThan(0);
  expect(await h.spentBy('ds-fits')).toBe(0.00011216);
});

it('a lowered max_completion_tokens is lowered in max_tokens too', async () => {
  // $0.002 pays for floor((0.002 − 8 × 0.27e-6) / 1.1e-6) = 1,816 output tokens at most; the
  // request asks for 8,000. Whatever the cap, both fields carry it and the spend stays inside.
  const token = await h.tool('ds-lowered', { dailyUsd: 0.002 });
  const res = await chat(token, 'deepseek/deepseek-chat', { max_completion_tokens: 8000 });
  expect(res.status).toBe(200);
  const cap = Number(res.headers.get('x-shimmy-max-tokens-capped'));
  expect(cap).toBeGreaterThan(0);
  expect(cap).toBeLessThanOrEqual(1816);
  expect(received.at(-1)!.body).toMatchObject({ max_completion_tokens: cap, max_tokens: cap });
  await expect.poll(() => h.spentBy('ds-lowered')).toBeGreaterThan(0);
  expect(await h.spentBy('ds-lowered')).toBeLessThanOrEqual(0.002);
});

it('OpenAI gets only max_completion_tokens', async () => {
  const token = await h.tool('oa', { dailyUsd: 1 });
  const res = await chat(token, 'gpt-4o-mini', { max_completion_tokens: 100 });
  expect(res.status).toBe(200);
  expect(received.at(-1)!.path).toBe('/v1/chat/completions');
  expect(received.at(-1)!.body.max_completion_tokens).toBe(100);
  expect('max_tokens' in received.at(-1)!.body).toBe(false);
});

it('under a TPM limit alone, a max_completion_tokens it counts is also sent as max_tokens to DeepSeek', async () => {
  // TPM counts 8 + 100 tokens for the answer; DeepSeek, reading only max_tokens, wrote 4,096: each
  // answer 40 times what the minute was told (review15, 2026-11-29).
  const token = await h.tool('ds-tpm', { tpm: 10_000 });
  const res = await chat(token, 'deepseek/deepseek-chat', { max_completion_tokens: 100 });
  expect(res.status).toBe(200);
  expect(received.at(-1)!.body).toMatchObject({ max_completion_tokens: 100, max_tokens: 100 });
});
