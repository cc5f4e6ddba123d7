// A Gemini request can name a video by URI — a YouTube link, a Files API upload — and is billed for
// its length: ~300 tokens a second at the default media resolution (258 a frame at 1 fps, 32 a
// second of audio; ai.google.dev/gemini-api/docs/video-understanding, read 2026-11-29), up to the
// model's context window. Shimmy reserved it as a 100-page PDF, 25,800 tokens, so a tool with a
// small budget could have hours of video read for the price of a paragraph (found by red14,
// 2026-11-29). Such input is reserved at the context window.
// Prices: gemini-2.5-flash $0.30 per 1M input (text/image/video), $2.50 per 1M output, context
// window 1,048,576 (ai.google.dev/gemini-api/docs/pricing and /models, read 2026-11-29).
import { expect, it } from 'vitest';
import { harnessOnGemini } from '../support/gemini-billing.js';
import { geminiAnswer, postStatus } from '../support/json-provider.js';

const VIDEO = 'https://www.youtube.com/watch?v=thirty-minutes';
/** The video's tokens: 1,800 s × 300. */
const VIDEO_TOKENS = 1_800 * 300;
const TEXT_TOKENS = 10;

const h = harnessOnGemini(({ output, bill }) => {
  // 540,000 × 0.30e-6 + 10 × 0.30e-6 + 100 × 2.50e-6 = $0.162253
  bill((TEXT_TOKENS + VIDEO_TOKENS) * 0.3e-6 + output * 2.5e-6);
  return geminiAnswer({
    text: 'ok',
    finishReason: 'MAX_TOKENS',
    input: TEXT_TOKENS + VIDEO_TOKENS,
    outputTokens: output,
    usage: {
      promptTokensDetails: [
        { modality: 'TEXT', tokenCount: TEXT_TOKENS },
        { modality: 'VIDEO', tokenCount: VIDEO_TOKENS },
      ],
    },
  });
});

const summarize = (token: string) =>
  postStatus(h, '/v1beta/models/gemini-2.5-flash:generateContent', token, {
    contents: [{ role: 'user', parts: [{ fileData: { fileUri: VIDEO } }, { text: 'Summarize this.' }] }],
    generationConfig: { maxOutputTokens: 100 },
  });

it('10 summaries of a 30-minute YouTube video at once on a $1/day budget', async () => {
  const token = await h.tool('video', { dailyUsd: 1 });
  // Each billed $0.162253; reserved at the context window, 1,048,576 × 0.30e-6 + 100 × 2.50e-6 =
  // $0.3148228: three fit in $1. Reserved as 25,800 tokens (~$0.008), all ten went out.
  const { result: statuses, billed } = await h.billedDuring(() =>
    Promise.all(Array.from({ length: 10 }, () => summarize(token))),
  );
  await expect.poll(() => h.spentBy('video')).toBeCloseTo(billed, 10);
  expect(billed, `provider billed $${billed.toFixed(6)} on a $1 budget`).toBeLessThanOrEqual(1);
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
});
