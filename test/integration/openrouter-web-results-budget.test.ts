// OpenRouter's web plugin puts its results into the prompt, billed as input "in addition to" the
// $4 per 1,000 results (openrouter.ai/docs/features/web-search, Pricing; stored copy read
// 2026-11-30). The reservation held the fee but not those tokens, which nothing but the context
// window bounds (red24, 2026-11-30). Tokens: openai/gpt-4o-mini at OpenRouter $0.15 in / $0.60 out
// per 1M (https://openrouter.ai/openai/gpt-4o-mini, OpenAI's own price,
// platform.openai.com/docs/pricing, read 2026-11-27), context window 128,000.
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { postStatus } from '../support/json-provider.js';
import { harnessOnOpenRouter, openRouterAnswer } from '../support/openrouter-route.js';

let h: Harness;
let billedUsd = 0;

// Exa's five results bring 100,000 tokens into the prompt; the answer writes its 100.
const PROMPT = 100_000;
const OUT = 100;

harnessOnOpenRouter(
  (started) => (h = started),
  () => {
    const cost = (PROMPT * 0.15 + OUT * 0.6) / 1e6 + 5 * 0.004;
    billedUsd = Math.round((billedUsd + cost) * 1e10) / 1e10;
    return openRouterAnswer({
      id: 'gen-web',
      model: 'openai/gpt-4o-mini',
      finish_reason: 'length',
      input: PROMPT,
      outputTokens: OUT,
      cost,
    });
  },
);

it('concurrent requests whose web results fill the prompt stay within the budget', async () => {
  // One request: 100,000 × 0.15e-6 + 100 × 0.60e-6 + 5 × 0.004 = 0.015 + 0.00006 + 0.02 = $0.03506.
  // Reserved at the fee and the body's few tokens, two of four were admitted on $0.06 and billed
  // $0.07012. With the results reserved at the 128,000-token window (128,000 × 0.15e-6 = $0.0192
  // more), one fits.
  const token = await h.tool('or-web-results', { dailyUsd: 0.06 });
  const body = {
    model: 'openrouter/openai/gpt-4o-mini',
    max_tokens: OUT,
    plugins: [{ id: 'web', engine: 'exa' }],
    messages: [{ role: 'user', content: 'what is new today?' }],
  };
  const statuses = await Promise.all(
    [1, 2, 3, 4].map(() => postStatus(h, '/v1/chat/completions', token, body)),
  );
  expect(statuses.sort()).toEqual([200, 429, 429, 429]);
  expect(billedUsd).toBe(0.03506);
  await expect.poll(() => h.spentBy('or-web-results')).toBe(0.03506);
  expect(await h.spentBy('or-web-results')).toBeLessThanOrEqual(0.06);
});
