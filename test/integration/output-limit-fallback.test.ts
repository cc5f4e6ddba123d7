// The output limit Shimmy writes into a request that names none (under a TPM limit, or a USD
// budget) goes to every model of its fallback chain: the body is spliced once and sent to each.
// It was the routed model's maximum (gpt-5: 128,000) lowered to what the minute holds, so a
// fallback with a smaller maximum refused it — OpenAI answers 400 "max_tokens is too large: N.
// This model supports at most 16384 completion tokens" for gpt-4o
// (platform.openai.com/docs/models/gpt-4o: 16,384 max output tokens, read 2026-11-29) — where the
// same request without Shimmy's limit was served (review15, 2026-11-29). The limit is now the
// smallest maximum among the models that may serve it.
import { beforeAll, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { chatAnswer, harnessOnJsonProvider, statusAnswer } from '../support/json-provider.js';

const GPT_4O_MAX = 16_384;
let h: Harness;

// OpenAI serving gpt-4o: a limit above its maximum is a 400, as OpenAI answers it.
harnessOnJsonProvider(
  ['openai'],
  (x) => (h = x),
  (_, body) => {
    const limit = (body.max_completion_tokens ?? body.max_tokens) as number | undefined;
    if (limit !== undefined && limit > GPT_4O_MAX)
      return statusAnswer(400, {
        error: {
          message: `max_tokens is too large: ${limit}. This model supports at most ${GPT_4O_MAX} completion tokens, whereas you provided ${limit}.`,
          type: 'invalid_request_error',
          param: 'max_tokens',
          code: 'invalid_value',
        },
      });
    return chatAnswer({ id: 'c1', model: 'gpt-4o', finish_reason: 'stop', input: 8, outputTokens: 2 });
  },
);

beforeAll(async () => {
  // The routed provider is down (nothing listens on port 9): gpt-4o at OpenAI serves instead.
  await h.admin.call('addProvider', {
    body: { name: 'down', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1' },
  });
  await h.admin.call('putKey', { body: { provider: 'down', key: 'sk-down-000000000001' } });
  await h.admin.call('patchProvider', { params: { name: 'down' }, body: { fallback: 'openai/gpt-4o' } });
});

/** gpt-5 at the down provider, its answer's status and text (the text says why it failed). */
const failover = async (token: string) => {
  const res = await fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'down/gpt-5', messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { status: res.status, text: await res.text() };
};

it('under a 100,000 TPM, gpt-5 failing over to gpt-4o: the limit written is one gpt-4o takes', async () => {
  const token = await h.tool('tpm-failover', { tpm: 100_000 });
  const { status, text } = await failover(token);
  expect(status, text).toBe(200);
});

it('under a $5 budget, the same: the limit written is one gpt-4o takes', async () => {
  // 16,384 output tokens at gpt-5's and gpt-4o's $10 per 1M (openai.com/api/pricing, read
  // 2026-11-29) are $0.16384: the budget holds gpt-5's whole 128,000 ($1.28) too, so only the
  // fallback's maximum can lower it.
  const token = await h.tool('usd-failover', { dailyUsd: 5 });
  const { status, text } = await failover(token);
  expect(status, text).toBe(200);
});
