// The Responses image generation tool bills its image model's input too: the prompt the model
// writes for each image, at the image model's text-input price, on top of the image
// (`tool_usage.image_gen.input_tokens`). That prompt is output of the model, so the request's
// output limit bounds it; a USD budget must reserve it (issue 11: "limits hold").
// Prices (openai.com/api/pricing, read 2026-11-29; the bundled @pydantic/genai-prices entries):
//   gpt-5 $1.25 in / $10 out per 1M; gpt-image-1 $5 text in, $40 image out per 1M. A high-quality
//   1024×1024 image is 4,160 image tokens (OpenAI image-generation guide, "Cost and latency",
//   checked 2026-11-27): 4,160 × 40e-6 = $0.1664.
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import {
  harnessOnJsonProvider,
  imageGenUsage,
  postStatus,
  responsesAnswer,
} from '../support/json-provider.js';

let h: Harness;
const received: Array<Record<string, unknown>> = [];

// Reads 8 input tokens, writes to max_output_tokens — all of it the prompt of one image, which
// the image model then reads as its input (the worst case the output limit allows).
harnessOnJsonProvider(
  ['openai'],
  (started) => (h = started),
  (_, b) => {
    received.push(b);
    const out = Number(b.max_output_tokens);
    return responsesAnswer({
      id: 'resp_x',
      status: 'completed',
      model: b.model,
      output: [{ type: 'image_generation_call', id: 'ig_1', status: 'completed' }],
      tool_usage: imageGenUsage(out, 4160),
      input: 8,
      outputTokens: out,
    });
  },
);

it("the image tool's prompt is reserved at the image model's text-input price", async () => {
  // Asked: 2,000 output tokens, one image. Without the prompt: reserved 8 × 1.25e-6 + 2,000 × 10e-6
  // + $0.1664 = $0.18641, inside $0.19; recorded with the 2,000-token prompt at $5 per 1M
  // (+ $0.01): $0.19641, past $0.19. With it, each output token may cost 10e-6 + 5e-6: the limit
  // is lowered to what $0.19 − $0.1664 leaves, (0.0236 − 8 × 1.25e-6) / 15e-6 = 1,572 tokens at
  // most, and the answer records $0.19 at most.
  const token = await h.tool('prompt-painter', { dailyUsd: 0.19 });
  const status = await postStatus(h, '/v1/responses', token, {
    model: 'gpt-5',
    service_tier: 'default',
    max_output_tokens: 2000,
    max_tool_calls: 1,
    tools: [{ type: 'image_generation', size: '1024x1024', quality: 'high' }],
    input: 'hi',
  });
  expect(status).toBe(200);
  await expect.poll(async () => (await h.records('prompt-painter')).length).toBe(1);
  expect(await h.spentBy('prompt-painter')).toBeLessThanOrEqual(0.19);
  expect(Number(received[0]?.max_output_tokens)).toBeLessThanOrEqual(1572);
});
