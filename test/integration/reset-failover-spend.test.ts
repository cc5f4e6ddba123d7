// A request the provider received whole, then lost the connection of (ECONNRESET), may still be
// processed and billed upstream: OpenAI and Anthropic bill the tokens of a request they worked
// on whether or not the answer reached the client. Shimmy sent it again on the pool's other
// key, and that copy answered; the first copy was neither reserved nor charged. (The timeout
// case, which is not sent again: failover-spend.test.ts.)
// gpt-4o-mini: $0.15 in / $0.60 out per 1M (openai.com/api/pricing, read 2026-11-29).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

/** Every answer: 1,000 prompt + 500 completion tokens = 1000 × 0.15e-6 + 500 × 0.60e-6 = $0.00045. */
const ANSWER_USD = 0.00045;
/** Input alone of a received request: 1,000 × 0.15e-6. */
const INPUT_USD = 0.00015;

let h: Harness;
let provider: http.Server;
/** Requests the provider received whole (each one it may bill), and the ones it reset. */
let received = 0;
let reset = 0;

beforeAll(async () => {
  // Every odd request is read to its end, then its connection is reset (an RST: ECONNRESET).
  provider = http.createServer(async (req, res) => {
    for await (const _ of req);
    received++;
    if (received % 2 === 1) {
      reset++;
      return void req.socket.resetAndDestroy();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'chatcmpl-x',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 },
      }),
    );
  });
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  h = await startHarness();
  await h.admin.call('patchProvider', { params: { name: 'openai' }, body: { baseUrl: `${url}/v1` } });
  await h.admin.call('putKey', { body: { provider: 'openai', key: 'sk-test-openai-pool-key-0001AAAA' } });
  await h.admin.call('putKey', {
    body: { provider: 'openai', key: 'sk-test-openai-pool-key-0002BBBB', label: 'second' },
  });
});
afterAll(async () => {
  await h.close();
  await new Promise<void>((r) => provider.close(() => r()));
});

// Fixed in send-with-failover.ts: a request that failed after it was written is not sent again.
it('a request reset after the provider read it, sent again by the failover, is charged for both copies', async () => {
  const token = await h.tool('reset-user', { dailyUsd: 1 });
  const res = await fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      max_tokens: 1000,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  // Answered by the second copy, or the reset itself (502) when it is not sent again.
  expect([200, 502]).toContain(res.status);
  await res.arrayBuffer();
  const records = async () => (await h.admin.call('listRequests', { query: { tool: 'reset-user' } })).records;
  await expect.poll(async () => (await records()).length).toBe(1);
  const charged = (await records()).reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
  // Every request the provider received whole is spend: an answered one $0.00045, a reset one at
  // least its input, $0.00015. On main: 2 received, 1 reset, $0.00045 charged (want >= $0.0006).
  expect(received).toBeGreaterThan(0);
  expect(charged).toBeGreaterThanOrEqual((received - reset) * ANSWER_USD + reset * INPUT_USD);
});
