// A non-streamed answer over 8 MB (json-body-capture.ts keeps only its head and tail) is priced
// as exactly as a small one: what the readers take from beside `usage` — the tier that served it
// (`service_tier`), the web searches a Responses answer ran — must survive the huge-body path.
// Big answers are ordinary: a spoken answer carries its audio as base64, `n` answers multiply the
// text, a Responses answer with generated images carries them as base64.
// gpt-5: $1.25 in / $10 out per 1M; Priority processing $2.50 / $20 (openai.com/api/pricing and
// openai.com/api-priority-processing/, read 2026-11-27, as cited in service-tiers.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OPENAI_TEST_KEY, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let provider: http.Server;
/** Characters of answer text: over FULL_PARSE_MAX_BYTES (8 MiB) when big. */
let textLength = 0;

beforeAll(async () => {
  provider = http.createServer(async (req, res) => {
    for await (const _ of req);
    res.writeHead(200, { 'content-type': 'application/json' });
    // The member order OpenAI sends: usage, then service_tier and system_fingerprint.
    res.end(
      JSON.stringify({
        id: 'chatcmpl-x',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-5',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'x'.repeat(textLength) },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 8, completion_tokens: 1000, total_tokens: 1008 },
        service_tier: 'priority',
        system_fingerprint: 'fp_x',
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

async function chargedFor(tool: string): Promise<number | null> {
  const token = await h.tool(tool);
  const res = await fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-5',
      service_tier: 'priority',
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  const records = async () => (await h.admin.call('listRequests', { query: { tool } })).records;
  await expect.poll(async () => (await records()).length).toBe(1);
  return (await records())[0]!.costUsd;
}

// 8 × 2.5e-6 + 1,000 × 20e-6 = $0.00002 + $0.02 = $0.02002 (at the standard rate: $0.01001).
const PRIORITY_USD = 0.02002;

it('a small answer served at priority is charged the priority price', async () => {
  textLength = 10;
  expect(await chargedFor('small-answer')).toBeCloseTo(PRIORITY_USD, 10);
});

it('a 9 MB answer served at priority is charged the priority price too', async () => {
  textLength = 9 * 1024 * 1024;
  expect(await chargedFor('big-answer')).toBeCloseTo(PRIORITY_USD, 10);
});
