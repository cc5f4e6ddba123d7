// The output limit Shimmy writes into a request that names none (under a TPM limit, or a USD
// budget) goes to every model of its fallback chain: the body is spliced once and sent to each.
// It was the routed model's maximum (gpt-5: 128,000) lowered to what the minute holds, so a
// fallback with a smaller maximum refused it — OpenAI answers 400 "max_tokens is too large: N.
// This model supports at most 16384 completion tokens" for gpt-4o
// (platform.openai.com/docs/models/gpt-4o: 16,384 max output tokens, read 2026-11-29) — where the
// same request without Shimmy's limit was served (review15, 2026-11-29). The limit is now the
// smallest maximum among the models that may serve it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

const GPT_4O_MAX = 16_384;
let h: Harness;
let provider: http.Server;

beforeAll(async () => {
  // OpenAI serving gpt-4o: a limit above its maximum is a 400, as OpenAI answers it.
  provider = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw) as { max_tokens?: number; max_completion_tokens?: number };
      const limit = body.max_completion_tokens ?? body.max_tokens;
      if (limit !== undefined && limit > GPT_4O_MAX) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              message: `max_tokens is too large: ${limit}. This model supports at most ${GPT_4O_MAX} completion tokens, whereas you provided ${limit}.`,
              type: 'invalid_request_error',
              param: 'max_tokens',
              code: 'invalid_value',
            },
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'c1',
          object: 'chat.completion',
          created: 1,
          model: 'gpt-4o',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 8, completion_tokens: 2, total_tokens: 10 },
        }),
      );
    });
  });
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
  h = await startHarness();
  await h.point('openai', `http://127.0.0.1:${(provider.address() as AddressInfo).port}`);
  // The routed provider is down (nothing listens on port 9): gpt-4o at OpenAI serves instead.
  await h.admin.call('addProvider', {
    body: { name: 'down', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1' },
  });
  await h.admin.call('putKey', { body: { provider: 'down', key: 'sk-down-000000000001' } });
  await h.admin.call('patchProvider', { params: { name: 'down' }, body: { fallback: 'openai/gpt-4o' } });
});
afterAll(async () => {
  await h.close();
  provider.closeAllConnections();
  await new Promise((r) => provider.close(r));
});

it('under a 100,000 TPM, gpt-5 failing over to gpt-4o: the limit written is one gpt-4o takes', async () => {
  const token = await h.tool('tpm-failover', { tpm: 100_000 });
  const res = await fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'down/gpt-5', messages: [{ role: 'user', content: 'hi' }] }),
  });
  const text = await res.text();
  expect(res.status, text).toBe(200);
});

it('under a $5 budget, the same: the limit written is one gpt-4o takes', async () => {
  // 16,384 output tokens at gpt-5's and gpt-4o's $10 per 1M (openai.com/api/pricing, read
  // 2026-11-29) are $0.16384: the budget holds gpt-5's whole 128,000 ($1.28) too, so only the
  // fallback's maximum can lower it.
  const token = await h.tool('usd-failover', { dailyUsd: 5 });
  const res = await fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'down/gpt-5', messages: [{ role: 'user', content: 'hi' }] }),
  });
  const text = await res.text();
  expect(res.status, text).toBe(200);
});
