// A tool's model allowlist was checked against the model it asked for, never against the models
// its provider's fallback chain serves: a tool allowed only a cheap model could be answered by a
// fallback's dearer one whenever the first provider failed before answering — a 429 or a 5xx, which
// a tool can bring about itself (OpenAI answers 429 to a request larger than the account's TPM).
// Found by red15, 2026-11-29. A fallback hop serving a model the tool may not use is skipped; one
// serving the same model as the first (another provider of it) is kept.
// Prices: gpt-4o $2.50 in / $10 out, gpt-4o-mini $0.15 / $0.60 per 1M tokens
// (openai.com/api/pricing, read 2026-11-29).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  for (const [name, fallback] of [
    ['flaky', 'openai/gpt-4o'],
    ['flaky-same', 'openai'],
  ] as const) {
    await h.admin.call('addProvider', { body: { name, kind: 'openai', baseUrl: `${h.upstream.url}/v1` } });
    await h.admin.call('putKey', { body: { provider: name, key: `sk-${name}-0001` } });
    await h.admin.call('patchProvider', { params: { name }, body: { fallback } });
  }
});
afterAll(() => h.close());

const ask = async (token: string, model: string) => {
  const res = await fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.text();
  return res.status;
};

const served = async (tool: string) =>
  (await h.admin.call('listRequests', { query: { tool, limit: '1' } })).records[0]!;

it('a tool allowed only flaky/* is not answered by its fallback gpt-4o', async () => {
  const token = await h.tool('only-flaky', { models: ['flaky/*'] });
  const status = await ask(token, 'flaky/fail-500');
  await expect.poll(async () => (await h.records('only-flaky')).length).toBe(1);
  const rec = await served('only-flaky');
  // Before: 200 from openai/gpt-4o, a model outside the allowlist, at 16× gpt-4o-mini's prices.
  expect(`${rec.provider}/${rec.model}`).not.toBe('openai/gpt-4o');
  expect(
    h.upstream.received.some((r) => (r.body as { model?: string } | undefined)?.model === 'gpt-4o'),
  ).toBe(false);
  expect(status).not.toBe(200);
});

it('a fallback serving the same model is still tried', async () => {
  const token = await h.tool('same-model', { models: ['flaky-same/*'] });
  expect(await ask(token, 'flaky-same/fail-500')).toBe(500);
  // fail-500 fails everywhere on the fake upstream: the fallback was tried, and failed too.
  const rec = await served('same-model');
  expect(rec.failovers).toEqual(['flaky-same:default 500']);
});
