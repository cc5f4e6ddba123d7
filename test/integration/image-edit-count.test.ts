// /v1/images/edits is a multipart form, and every form field is a string: the OpenAI SDK sends
// `n: 10` as the field `n=10`. The image reservation (limits/image-output-tokens.ts) read `n` only
// as a JSON number, so an edit asking for ten images was reserved as one (found by red14,
// 2026-11-29): of ten concurrent edits of ten images each, four went out before the first
// answer was recorded, billed $0.43700 on a $0.05/day budget.
// Prices: gpt-image-1 $5 per 1M text input tokens, $10 per 1M image input tokens, $40 per 1M output
// (image) tokens; a low-quality 1024×1024 image is 272 output tokens (openai.com/api/pricing and
// platform.openai.com/docs/guides/image-generation "Cost and latency", read 2026-11-29).
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let provider: import('node:http').Server;
let billedUsd = 0;

beforeAll(async () => {
  const http = await import('node:http');
  provider = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = await new Response(Buffer.concat(chunks), {
      headers: { 'content-type': String(req.headers['content-type']) },
    }).formData();
    const n = Number(form.get('n') ?? 1);
    // Input as in the API reference's example answer: 10 text + 40 image tokens; 272 per image out.
    const output = 272 * n;
    billedUsd += 10 * 5e-6 + 40 * 10e-6 + output * 40e-6;
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        created: 1,
        data: Array.from({ length: n }, () => ({ b64_json: 'aW1n' })),
        usage: {
          input_tokens: 50,
          input_tokens_details: { text_tokens: 10, image_tokens: 40 },
          output_tokens: output,
          total_tokens: 50 + output,
        },
      }),
    );
  });
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
  h = await startHarness();
  const { port } = provider.address() as import('node:net').AddressInfo;
  await h.point('openai', `http://127.0.0.1:${port}`);
});
afterAll(async () => {
  await h.close();
  await new Promise<void>((r) => provider.close(() => r()));
});

it('ten edits of ten low-quality images each, at once, on a $0.05/day budget', async () => {
  const client = new OpenAI({
    baseURL: `${h.core.url}/v1`,
    apiKey: await h.tool('image-editor', { dailyUsd: 0.05 }),
    maxRetries: 0,
  });
  const before = billedUsd;
  // Each: 10 × 5e-6 + 40 × 10e-6 + 2,720 × 40e-6 = $0.10925, over the $0.05 budget by itself; reserved
  // as one image (272 × 40e-6 = $0.01088), four went out.
  const results = await Promise.allSettled(
    Array.from({ length: 10 }, async () =>
      client.images.edit({
        model: 'gpt-image-1',
        image: await toFile(Buffer.from('\x89PNG\r\n\x1a\n'), 'in.png', { type: 'image/png' }),
        prompt: 'a hat on the cat',
        n: 10,
        quality: 'low',
        size: '1024x1024',
      }),
    ),
  );
  const billed = billedUsd - before;
  const sent = results.filter((r) => r.status === 'fulfilled').length;
  expect(billed, `${sent} sent; provider billed $${billed.toFixed(5)} on a $0.05 budget`).toBeLessThanOrEqual(
    0.05,
  );
});
