// An image sent to a Claude model through an OpenAI-compatible API (OpenRouter's
// `anthropic/claude-sonnet-4.5`, an `image_url` part) is billed as Claude bills it: width × height
// / 750 tokens after scaling to at most 1.19 MP (docs.claude.com/en/docs/build-with-claude/vision,
// "Evaluate image size", read 2026-11-29: a 1,092 × 1,092 image is ~1,590 tokens). The reservation
// counted it with OpenAI's tile formula (85 + 170 per 512-px tile after scaling the short side to
// 768: 4 tiles, 765 tokens), under half of that, so a message of images was admitted and billed
// past the budget. So with Gemini 3, which bills an image at up to 1,120 tokens whatever its size
// (ai.google.dev/gemini-api/docs/media-resolution, read 2026-11-29), where OpenAI's formula counts
// a 512 × 512 image as one tile, 255 tokens.
// Prices (read 2026-11-29): anthropic/claude-sonnet-4.5 $3 in / $15 out per 1M (openrouter.ai/
// anthropic/claude-sonnet-4.5); google/gemini-3-flash-preview $0.50 in / $3 out per 1M
// (openrouter.ai/google/gemini-3-flash-preview, ai.google.dev/gemini-api/docs/pricing).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { addOpenRouter } from '../support/openrouter-route.js';
import { chatAnswer, postStatus, startJsonProvider, type JsonProvider } from '../support/json-provider.js';
import { pngDataUrl } from '../support/png-header.js';

let h: Harness;
let provider: JsonProvider;
let billedUsd = 0;

/** Per model: images sent, tokens billed an image, $ per input and output token. Claude: 1,092 ×
 *  1,092 / 750 = 1,589.95, billed as 1,590 (the vision page's table); Gemini 3: 1,120. */
const CASES = {
  'anthropic/claude-sonnet-4.5': { images: 20, perImage: 1590, inUsd: 3e-6, outUsd: 15e-6 },
  'google/gemini-3-flash-preview': { images: 40, perImage: 1120, inUsd: 0.5e-6, outUsd: 3e-6 },
};
/** The images and 10 tokens of text and framing: the least OpenRouter could report. */
const inputOf = (c: (typeof CASES)[keyof typeof CASES]) => c.images * c.perImage + 10;

beforeAll(async () => {
  h = await startHarness();
  provider = await startJsonProvider((_, b) => {
    const output = Number(b.max_tokens);
    const model = String(b.model) as keyof typeof CASES;
    const c = CASES[model];
    // Claude: 31,810 × 3e-6 + 10 × 15e-6 = $0.09558; Gemini: 44,810 × 0.5e-6 + 10 × 3e-6 = $0.022435.
    const cost = inputOf(c) * c.inUsd + output * c.outUsd;
    billedUsd += cost;
    const answer = chatAnswer({
      id: 'gen-1',
      model,
      finish_reason: 'length',
      input: inputOf(c),
      outputTokens: output,
    });
    answer.usage = { ...(answer.usage as object), cost };
    return answer;
  });
  await addOpenRouter(h, provider.url);
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

/** `images` copies of a `size`-px square PNG to `model` by a tool with `dailyUsd`. */
async function askImages(tool: string, dailyUsd: number, model: keyof typeof CASES, size: number) {
  const token = await h.tool(tool, { dailyUsd });
  const before = billedUsd;
  const image = { type: 'image_url', image_url: { url: pngDataUrl(size, size) } };
  const status = await postStatus(h, '/v1/chat/completions', token, {
    model: `openrouter/${model}`,
    max_tokens: 10,
    messages: [
      {
        role: 'user',
        content: [{ type: 'text', text: 'Compare.' }, ...Array(CASES[model].images).fill(image)],
      },
    ],
  });
  const billed = billedUsd - before;
  const figures = `status ${status}; provider billed $${billed} on $${dailyUsd}, Shimmy recorded $${await h.spentBy(tool)}`;
  return { status, billed, figures };
}

it('twenty 1,092 × 1,092 images to Claude through OpenRouter, on a $0.08/day budget', async () => {
  // Reserved at OpenAI's 765 an image: about 15,310 × 3e-6 + 10 × 15e-6 = $0.04608, which fits
  // $0.08; billed $0.09558. At Claude's 1,590, 31,800 × 3e-6 = $0.0954 of input alone does not fit.
  const { status, billed, figures } = await askImages('or-claude', 0.08, 'anthropic/claude-sonnet-4.5', 1092);
  expect(billed, figures).toBe(0);
  expect(status).toBe(429);
});

it('forty 512 × 512 images to Gemini 3 through OpenRouter, on a $0.015/day budget', async () => {
  // Reserved at OpenAI's 255 an image: about 10,210 × 0.5e-6 + 10 × 3e-6 = $0.005135, which fits
  // $0.015; billed $0.022435. At Gemini 3's 1,120, 44,800 × 0.5e-6 = $0.0224 alone does not fit.
  const { status, billed, figures } = await askImages(
    'or-gemini',
    0.015,
    'google/gemini-3-flash-preview',
    512,
  );
  expect(billed, figures).toBe(0);
  expect(status).toBe(429);
});
