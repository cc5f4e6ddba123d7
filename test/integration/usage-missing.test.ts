// An answer whose usage Shimmy could not read is recorded as an estimate, streamed or not: its
// cost is Shimmy's guess from the text it saw, and the record must not pass it off as the
// provider's count (README: "priced to the cent"; WIRE-FACTS: "mark such a record as estimated").
// Some OpenAI-compatible servers answer without `usage` (a proxy in front of a local model, an
// older vLLM or Ollama), and reasoning a model did not show is missing from any text count.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OPENAI_TEST_KEY, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let provider: http.Server;

beforeAll(async () => {
  provider = http.createServer(async (req, res) => {
    for await (const _ of req);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'chatcmpl-x',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o-mini',
        choices: [
          { index: 0, message: { role: 'assistant', content: 'Hello there.' }, finish_reason: 'stop' },
        ],
      }),
    );
  });
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  h = await startHarness();
  await h.admin.call('patchProvider', { params: { name: 'openai' }, body: { baseUrl: `${url}/v1` } });
  await h.admin.call('putKey', { body: { provider: 'openai', key: OPENAI_TEST_KEY } });
});
afterAll(async () => {
  await h.close();
  await new Promise<void>((r) => provider.close(() => r()));
});

it('a non-streamed answer without usage is recorded as estimated', async () => {
  const token = await h.tool('no-usage');
  const res = await fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  const records = async () => (await h.admin.call('listRequests', { query: { tool: 'no-usage' } })).records;
  await expect.poll(async () => (await records()).length).toBe(1);
  const [record] = await records();
  // Priced from Shimmy's own count of "hi" and "Hello there." — a guess, not the provider's count.
  expect(record!.costUsd).toBeGreaterThan(0);
  expect(record!.estimated).toBe(true);
});
