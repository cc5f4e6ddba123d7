// The Responses image generation tool edits the images in the conversation: its image model reads
// them, billed as image input tokens in `tool_usage.image_gen` apart from the model's own input.
// Shimmy reserved the image it makes and the prompt the model writes, not the images it reads
// (input15, 2026-11-29). Each read like an edit's input: 65 + 129 per 512-px tile, a 1024×1024
// image 194 tokens (limits/image-input-tokens.ts, with its sources).
// Prices (openai.com/api/pricing, read 2026-11-29): gpt-5 $1.25 in / $10 out per 1M; gpt-image-1
// $5 per 1M text input, $10 per 1M image input, $40 per 1M image output; a low-quality 1024×1024
// image is 272 tokens. gpt-5 reads a 1024×1024 image as 70 + 140 × 4 tiles = 630 tokens
// (platform.openai.com/docs/guides/images-vision, "Calculating costs").
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { harnessOnJsonProvider, postStatus, responsesAnswer } from '../support/json-provider.js';
import { pngDataUrl } from '../support/png-header.js';

const IMAGES = 10;

let h: Harness;
let billedUsd = 0;

harnessOnJsonProvider(
  ['openai'],
  (x) => (h = x),
  (_, b) => {
    const out = Number(b.max_output_tokens);
    const input = 8 + IMAGES * 630;
    const read = IMAGES * 194;
    // 6,308 × 1.25e-6 + 100 × 10e-6 + 50 × 5e-6 + 1,940 × 10e-6 + 272 × 40e-6 = $0.039415
    billedUsd += input * 1.25e-6 + out * 10e-6 + 50 * 5e-6 + read * 10e-6 + 272 * 40e-6;
    return responsesAnswer({
      id: 'resp_i',
      status: 'completed',
      model: b.model,
      output: [{ type: 'image_generation_call', id: 'ig_1', status: 'completed', result: 'aW1n' }],
      tool_usage: {
        image_gen: {
          input_tokens: 50 + read,
          input_tokens_details: { text_tokens: 50, image_tokens: read },
          output_tokens: 272,
          output_tokens_details: { image_tokens: 272, text_tokens: 0 },
          total_tokens: 50 + read + 272,
        },
      },
      input,
      outputTokens: out,
    });
  },
);

const ask = (token: string) =>
  postStatus(h, '/v1/responses', token, {
    model: 'gpt-5',
    service_tier: 'default',
    max_output_tokens: 100,
    max_tool_calls: 1,
    tools: [{ type: 'image_generation', quality: 'low', size: '1024x1024' }],
    input: [
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'Put all of these on one table.' },
          ...Array.from({ length: IMAGES }, () => ({
            type: 'input_image',
            image_url: pngDataUrl(1024, 1024),
          })),
        ],
      },
    ],
  });

it('an edit of ten 1024×1024 images by the image tool, three at once on a $0.05/day budget', async () => {
  // Each billed $0.039415; reserved before without the 1,940 image tokens the tool reads ($0.0194):
  // ~$0.0203 each, two went ($0.07883). With them, one.
  const token = await h.tool('tool-editor', { dailyUsd: 0.05 });
  const before = billedUsd;
  const statuses = await Promise.all(Array.from({ length: 3 }, () => ask(token)));
  const billed = billedUsd - before;
  expect(statuses.filter((s) => s === 200).length).toBe(1);
  expect(billed, `provider billed $${billed.toFixed(6)} on a $0.05 budget`).toBeLessThanOrEqual(0.05);
});
