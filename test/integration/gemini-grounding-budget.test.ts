// Gemini's Grounding with Google Search is billed per grounded prompt on top of the tokens: $35 per
// 1,000 on Gemini 2.5 Flash past the 1,500 free a day (ai.google.dev/gemini-api/docs/pricing, read
// 2026-11-29), per search query on Gemini 3. The price catalog has no rate for it and nothing reads
// it from the answer (`groundingMetadata.webSearchQueries`), so a grounded request was reserved and
// recorded at its tokens alone (found by red14, 2026-11-29): ten grounded prompts past the free
// quota billed $0.35380 on a $0.10/day budget, recorded $0.0038. Like every billable call Shimmy
// cannot price, it is now refused to a budgeted tool (403 unpriced_endpoint) and recorded unpriced
// for the others.
// Prices: gemini-2.5-flash $0.30 in / $2.50 out per 1M tokens, grounding $35 per 1,000 grounded
// prompts (same page).
import { expect, it } from 'vitest';
import { harnessOnGemini } from '../support/gemini-billing.js';
import { geminiAnswer, postStatus } from '../support/json-provider.js';

const h = harnessOnGemini(({ body: b, output, bill }) => {
  // A cached content holding a Google Search tool grounds as the tool in the body does
  // (CachedContent's `tools`, ai.google.dev/api/caching, read 2026-11-29).
  const grounded =
    JSON.stringify(b.tools ?? []).includes('googleSearch') || b.cachedContent === 'cachedContents/grounded';
  // 100 × 0.30e-6 + 140 × 2.50e-6 + $0.035 = $0.03538
  bill(100 * 0.3e-6 + output * 2.5e-6 + (grounded ? 0.035 : 0));
  return geminiAnswer({
    text: 'It rained.',
    finishReason: 'STOP',
    candidate: { groundingMetadata: { webSearchQueries: ['weather yesterday'] } },
    input: 100,
    outputTokens: output,
  });
});

const ask = (token: string) =>
  postStatus(h, '/v1beta/models/gemini-2.5-flash:generateContent', token, {
    contents: [{ role: 'user', parts: [{ text: 'Did it rain yesterday?' }] }],
    tools: [{ googleSearch: {} }],
    generationConfig: { maxOutputTokens: 140 },
  });

it('ten grounded prompts on a $0.10/day budget', async () => {
  const token = await h.tool('grounded', { dailyUsd: 0.1 });
  const { result: statuses, billed } = await h.billedDuring(async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push(await ask(token));
    return statuses;
  });
  const spent = await h.spentBy('grounded');
  const figures = `provider billed $${billed.toFixed(6)} on a $0.10 budget, Shimmy recorded $${spent}`;
  expect(billed, figures).toBeLessThanOrEqual(0.1);
  expect(statuses).toEqual(Array(10).fill(403));
});

it('without a budget it goes out, recorded unpriced rather than at its tokens alone', async () => {
  const token = await h.tool('grounded-free');
  expect(await ask(token)).toBe(200);
  const records = () => h.records('grounded-free');
  await expect.poll(async () => (await records()).length).toBe(1);
  expect((await records())[0]!.costUsd).toBeNull();
});

it('a cached content that holds the Google Search tool, 30 prompts one after another on a $1/day budget', async () => {
  // The body names no tool, only the cache (reserved at the 1,048,576-token window: $0.31492 on
  // gemini-2.5-flash). Each answer billed 100 × 0.30e-6 + 140 × 2.50e-6 + $0.035 = $0.03538, and
  // was recorded at its tokens ($0.00038): all 30 went, $1.0614 billed on $1 (Shimmy recorded
  // $0.0114). An answer whose grounding the price cannot price is charged its reservation instead.
  const token = await h.tool('grounded-cache', { dailyUsd: 1 });
  const { billed } = await h.billedDuring(async () => {
    for (let i = 0; i < 30; i++)
      await postStatus(h, '/v1beta/models/gemini-2.5-flash:generateContent', token, {
        cachedContent: 'cachedContents/grounded',
        contents: [{ role: 'user', parts: [{ text: 'Did it rain yesterday?' }] }],
        generationConfig: { maxOutputTokens: 140 },
      });
  });
  const spent = await h.spentBy('grounded-cache');
  expect(
    billed,
    `provider billed $${billed.toFixed(6)} on a $1 budget, Shimmy recorded $${spent}`,
  ).toBeLessThanOrEqual(1);
});
