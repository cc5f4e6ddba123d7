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
import { GEMINI_TEST_KEY, OPENAI_TEST_KEY, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let provider: http.Server;
/** Characters of answer text: over FULL_PARSE_MAX_BYTES (8 MiB) when big. */
let textLength = 0;

beforeAll(async () => {
  provider = http.createServer(async (req, res) => {
    for await (const _ of req);
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url?.startsWith('/v1beta/models/gemini-2.5-flash-image:generateContent'))
      // An image comes back inline, base64 (a big PNG is megabytes); usageMetadata at the end.
      return void res.end(
        JSON.stringify({
          candidates: [
            {
              content: {
                role: 'model',
                parts: [{ inlineData: { mimeType: 'image/png', data: 'A'.repeat(textLength) } }],
              },
              finishReason: 'STOP',
              index: 0,
            },
          ],
          usageMetadata: {
            promptTokenCount: 8,
            candidatesTokenCount: 1290,
            totalTokenCount: 1298,
            promptTokensDetails: [{ modality: 'TEXT', tokenCount: 8 }],
            candidatesTokensDetails: [{ modality: 'IMAGE', tokenCount: 1290 }],
          },
          modelVersion: 'gemini-2.5-flash-image',
        }),
      );
    if (req.url === '/v1/responses')
      return void res.end(
        JSON.stringify({
          id: 'resp_x',
          object: 'response',
          created_at: 1,
          status: 'completed',
          model: 'gpt-5',
          output: [
            ...[1, 2, 3].map((i) => ({
              type: 'web_search_call',
              id: `ws_${i}`,
              status: 'completed',
              action: { type: 'search', query: 'q' },
            })),
            {
              type: 'message',
              id: 'msg_x',
              status: 'completed',
              role: 'assistant',
              content: [{ type: 'output_text', text: 'x'.repeat(textLength), annotations: [] }],
            },
          ],
          service_tier: 'default',
          usage: {
            input_tokens: 8,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: 1000,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: 1008,
          },
        }),
      );
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
  await h.admin.call('patchProvider', { params: { name: 'google' }, body: { baseUrl: url } });
  await h.admin.call('putKey', { body: { provider: 'google', key: GEMINI_TEST_KEY } });
});
afterAll(async () => {
  await h.close();
  await new Promise<void>((r) => provider.close(() => r()));
});

async function chargedFor(tool: string, path = '/v1/chat/completions'): Promise<number | null> {
  const token = await h.tool(tool);
  const body =
    path === '/v1/responses'
      ? { model: 'gpt-5', tools: [{ type: 'web_search' }], input: 'hi' }
      : { model: 'gpt-5', service_tier: 'priority', messages: [{ role: 'user', content: 'hi' }] };
  const gemini = path.startsWith('/v1beta/');
  const res = await fetch(`${h.core.url}${path}`, {
    method: 'POST',
    headers: {
      ...(gemini ? { 'x-goog-api-key': token } : { authorization: `Bearer ${token}` }),
      'content-type': 'application/json',
    },
    body: JSON.stringify(
      gemini
        ? {
            contents: [{ role: 'user', parts: [{ text: 'a cat' }] }],
            generationConfig: { responseModalities: ['IMAGE'] },
          }
        : body,
    ),
  });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  const records = () => h.records(tool);
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

// Web search $10 per 1,000 calls (the bundled catalog's gpt-5 entry, web_searches_kcount 10;
// openai.com/api/pricing): 3 × $0.01 + 8 × 1.25e-6 + 1,000 × 10e-6 = $0.03 + $0.01001 = $0.04001.
const SEARCHED_USD = 0.04001;

it('a small Responses answer is charged its web searches', async () => {
  textLength = 10;
  expect(await chargedFor('small-search', '/v1/responses')).toBeCloseTo(SEARCHED_USD, 10);
});

it('a 9 MB Responses answer is charged its web searches too', async () => {
  textLength = 9 * 1024 * 1024;
  expect(await chargedFor('big-search', '/v1/responses')).toBeCloseTo(SEARCHED_USD, 10);
});

// gemini-2.5-flash-image: $0.30 in, $30 image out per 1M (the bundled @pydantic/genai-prices entry;
// ai.google.dev/gemini-api/docs/pricing): 8 × 0.3e-6 + 1,290 × 30e-6 = $0.0000024 + $0.0387.
const IMAGE_USD = 0.0387024;

it('a small Gemini answer with an image is charged its image tokens', async () => {
  textLength = 10;
  expect(
    await chargedFor('small-image', '/v1beta/models/gemini-2.5-flash-image:generateContent'),
  ).toBeCloseTo(IMAGE_USD, 10);
});

it('a 9 MB Gemini answer with an image is charged its image tokens too', async () => {
  textLength = 9 * 1024 * 1024;
  expect(await chargedFor('big-image', '/v1beta/models/gemini-2.5-flash-image:generateContent')).toBeCloseTo(
    IMAGE_USD,
    10,
  );
  // The provider's own count, read from the tail: not an estimate.
  const [record] = await h.records('big-image');
  expect(record!.estimated).toBe(false);
});
