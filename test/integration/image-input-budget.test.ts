// gpt-image models bill what they read as input: the prompt as text input tokens, and each image
// an edit is given as image input tokens, apart from the image they write. Shimmy reserved the
// output image alone (input15, 2026-11-29). Input images are billed like vision input, 65 base
// + 129 per 512-px tile (platform.openai.com/docs/guides/images-vision, "Calculating costs", read
// 2026-11-29), the short side scaled to 512: a 1024×1024 edit input measured at 194 image tokens
// (community.openai.com/t/vision-pricing-calculator-inaccurate-resizing-rounding-vs-api-costs/
// 1281361, read 2026-11-29). Up to 16 images an edit (API reference, images/createEdit).
// Prices: gpt-image-1 $5 per 1M text input tokens, $10 per 1M image input tokens, $40 per 1M
// output (image) tokens; a low-quality 1024×1024 image is 272 output tokens (openai.com/api/pricing
// and platform.openai.com/docs/guides/image-generation "Cost and latency", read 2026-11-29).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { postStatus, startJsonProvider, type JsonProvider } from '../support/json-provider.js';
import { pngDataUrl, pngHeader } from '../support/png-header.js';

let h: Harness;
let provider: JsonProvider;
let billedUsd = 0;

beforeAll(async () => {
  h = await startHarness();
  provider = await startJsonProvider((_, b, raw) => {
    // A generation: the prompt's words are its text tokens ("word " is one o200k token).
    // An edit (a form, or JSON naming `images` and a `mask`): 16 text tokens of prompt and 194
    // image tokens per 1024×1024 input, whether sent, linked or uploaded before.
    const json = Array.isArray(b.images) ? b.images.length + (b.mask ? 1 : 0) : 0;
    const edit = json > 0 || raw.includes(Buffer.from('IHDR'));
    const images = json > 0 ? json : edit ? raw.toString('latin1').split('IHDR').length - 1 : 0;
    const text = edit ? 16 : String(b.prompt).split(' ').length;
    const out = 272;
    billedUsd += text * 5e-6 + images * 194 * 10e-6 + out * 40e-6;
    return {
      created: 1,
      data: [{ b64_json: 'aW1n' }],
      usage: {
        input_tokens: text + images * 194,
        input_tokens_details: { text_tokens: text, image_tokens: images * 194 },
        output_tokens: out,
        total_tokens: text + images * 194 + out,
      },
    };
  });
  await h.point('openai', provider.url);
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

const generate = (token: string, prompt: string) =>
  fetch(`${h.core.url}/v1/images/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-image-1', prompt, quality: 'low', size: '1024x1024' }),
  }).then(async (r) => (await r.text(), r.status));

function edit(token: string, images: number) {
  const form = new FormData();
  form.set('model', 'gpt-image-1');
  form.set('prompt', 'Put all of these on one table, in the style of the first.');
  form.set('quality', 'low');
  form.set('size', '1024x1024');
  for (let i = 0; i < images; i++)
    form.append(
      'image[]',
      new Blob([new Uint8Array(pngHeader(1024, 1024))], { type: 'image/png' }),
      `in${i}.png`,
    );
  return fetch(`${h.core.url}/v1/images/edits`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  }).then(async (r) => (await r.text(), r.status));
}

/** A JSON edit (gpt-image models take `images` as `{ image_url }` or `{ file_id }` references). */
const editJson = (token: string, images: unknown[], mask?: unknown) =>
  postStatus(h, '/v1/images/edits', token, {
    model: 'gpt-image-1',
    prompt: 'Put all of these on one table, in the style of the first.',
    quality: 'low',
    size: '1024x1024',
    images,
    ...(mask ? { mask } : {}),
  });

async function spend(send: () => Promise<number>, n: number) {
  const before = billedUsd;
  const statuses = await Promise.all(Array.from({ length: n }, send));
  return { statuses, billed: billedUsd - before };
}

it('a 6,000-token prompt, four generations at once on a $0.05/day budget', async () => {
  // Each billed 6,000 × 5e-6 + 272 × 40e-6 = $0.04088; reserved before at its image alone
  // ($0.01088): all four went, $0.16352. Counted, one fits.
  const token = await h.tool('long-prompt', { dailyUsd: 0.05 });
  const prompt = Array.from({ length: 6000 }, () => 'word').join(' ');
  const { statuses, billed } = await spend(() => generate(token, prompt), 4);
  expect(statuses.filter((s) => s === 200).length).toBe(1);
  expect(billed, `provider billed $${billed.toFixed(5)} on a $0.05 budget`).toBeLessThanOrEqual(0.05);
});

it('an edit of sixteen 1024×1024 images, four at once on a $0.05/day budget', async () => {
  // Each billed 16 × 5e-6 + 16 × 194 × 10e-6 + 272 × 40e-6 = $0.04200; reserved before at its
  // image and prompt (~$0.011): all four went, $0.168. At 194 image tokens an input, one fits.
  const token = await h.tool('many-inputs', { dailyUsd: 0.05 });
  const { statuses, billed } = await spend(() => edit(token, 16), 4);
  expect(statuses.filter((s) => s === 200).length).toBe(1);
  expect(billed, `provider billed $${billed.toFixed(5)} on a $0.05 budget`).toBeLessThanOrEqual(0.05);
});

it('a JSON edit of sixteen 1024×1024 data-URL images, four at once on a $0.05/day budget', async () => {
  // Billed as the form above, $0.04200 each (gpt-image-1 prices at the top: openai.com/api/pricing,
  // read 2026-11-29); a JSON body's images were not counted: all four went, $0.168. Each read by
  // its header, 194 image tokens: one fits.
  const token = await h.tool('many-inputs-json', { dailyUsd: 0.05 });
  const images = Array.from({ length: 16 }, () => ({ image_url: pngDataUrl(1024, 1024) }));
  const { statuses, billed } = await spend(() => editJson(token, images), 4);
  expect(statuses.filter((s) => s === 200).length).toBe(1);
  expect(billed, `provider billed $${billed.toFixed(5)} on a $0.05 budget`).toBeLessThanOrEqual(0.05);
});

it('a JSON edit of three images and a mask by file id or URL, four at once on $0.05/day', async () => {
  // The provider reads four 1024×1024 images: billed 16 × 5e-6 + 4 × 194 × 10e-6 + 272 × 40e-6 =
  // $0.01872 each (prices at the top, openai.com/api/pricing, read 2026-11-29); reserved before at
  // the image and prompt (~$0.011): all four went, $0.07488. A size Shimmy cannot read is
  // reserved at the most tiles, 65 + 4 × 129 = 581 tokens: 4 × 581 × 10e-6 + 272 × 40e-6 + the
  // prompt ≈ $0.0342 each, so one fits.
  const token = await h.tool('linked-inputs-json', { dailyUsd: 0.05 });
  const images = [{ file_id: 'file-a' }, { image_url: 'https://example.com/b.png' }, { file_id: 'file-c' }];
  const { statuses, billed } = await spend(() => editJson(token, images, { file_id: 'file-m' }), 4);
  expect(statuses.filter((s) => s === 200).length).toBe(1);
  expect(billed, `provider billed $${billed.toFixed(5)} on a $0.05 budget`).toBeLessThanOrEqual(0.05);
});
