// Grounding with Google Maps is billed per grounded prompt on top of the tokens: 10,000 a day free,
// then $25 per 1,000 grounded prompts (ai.google.dev/gemini-api/docs/pricing, as quoted in
// discuss.ai.google.dev/t/…/128770; read 2026-11-29). A body's own googleMaps tool is refused under
// a budget (route/billable-endpoints.ts), but a cached content may hold the tool
// (CachedContent.tools, ai.google.dev/api/caching) and the body then names none. Its answer says it
// grounded only through `groundingMetadata.groundingChunks[].maps` (and a widget token): no
// `webSearchQueries`, which is all the reader looked for (red17b's Google Search case).
// Prices: gemini-2.5-flash $0.30 in / $2.50 out per 1M tokens (same page).
import { expect, it } from 'vitest';
import { harnessOnGemini } from '../support/gemini-billing.js';
import { onlyRecordedCost } from '../support/recorded-cost.js';
import { geminiAnswer, postStatus, sseAnswer } from '../support/json-provider.js';

const h = harnessOnGemini(({ path, output, bill }) => {
  // 100 × 0.30e-6 + 140 × 2.50e-6 + $0.025 = $0.02538 per grounded prompt.
  bill(100 * 0.3e-6 + output * 2.5e-6 + 0.025);
  const answer = geminiAnswer({
    text: 'Three cafés are open near you.',
    finishReason: 'STOP',
    candidate: {
      groundingMetadata: {
        groundingChunks: [
          { maps: { uri: 'https://maps.google.com/?cid=1', title: 'Café Uno', placeId: 'places/ChIJ1' } },
        ],
        groundingSupports: [],
      },
    },
    input: 100,
    outputTokens: output,
  });
  return path.includes('alt=sse') ? sseAnswer([answer]) : answer;
});

it('a cached content that holds the Google Maps tool, 50 prompts one after another on a $1/day budget', async () => {
  // Each answer billed $0.02538 and was recorded at its tokens (100 × 0.30e-6 + 140 × 2.50e-6 =
  // $0.00038): all 50 went, 50 × $0.02538 = $1.269 billed on $1 (Shimmy recorded $0.019). An answer
  // whose grounding its price cannot price is charged its reservation instead (the cache reserved
  // at the 1,048,576-token window, $0.31492 on gemini-2.5-flash), so at most 3 go: $0.07614.
  const token = await h.tool('maps-cache', { dailyUsd: 1 });
  const { billed } = await h.billedDuring(async () => {
    for (let i = 0; i < 50; i++)
      await postStatus(h, '/v1beta/models/gemini-2.5-flash:generateContent', token, {
        cachedContent: 'cachedContents/maps',
        contents: [{ role: 'user', parts: [{ text: 'Coffee near me?' }] }],
        generationConfig: { maxOutputTokens: 140 },
      });
  });
  const spent = await h.spentBy('maps-cache');
  expect(
    billed,
    `provider billed $${billed.toFixed(6)} on a $1 budget, Shimmy recorded $${spent}`,
  ).toBeLessThanOrEqual(1);
});

it('streamed, the grounded answer is not recorded at its tokens alone', async () => {
  const token = await h.tool('maps-stream');
  const res = await fetch(`${h.core.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, {
    method: 'POST',
    headers: { 'x-goog-api-key': token, 'content-type': 'application/json' },
    body: JSON.stringify({
      cachedContent: 'cachedContents/maps',
      contents: [{ role: 'user', parts: [{ text: 'Coffee near me?' }] }],
      generationConfig: { maxOutputTokens: 140 },
    }),
  });
  await res.text();
  // Unpriced (no budget): never the $0.00038 of its tokens.
  expect(await onlyRecordedCost(h, 'maps-stream')).toBeNull();
});
