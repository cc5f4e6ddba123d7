// OpenRouter's web plugin bills its results apart from the tokens: "$4 per 1000 results. By
// default, max_results set to 5, this comes out to a maximum of $0.02 per request"
// (openrouter.ai/docs/features/web-search, Pricing, read 2026-11-30). The answer's usage.cost holds
// it, but the reservation held only the tokens (found by red21, fixed by red22, 2026-11-30).
// Tokens: meta-llama/llama-3.1-8b-instruct at OpenRouter $0.02 in / $0.03 out per 1M
// (@pydantic/genai-prices 0.1.8 bundled data, read 2026-11-30).
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { postStatus } from '../support/json-provider.js';
import { harnessOnOpenRouter, openRouterAnswer } from '../support/openrouter-route.js';

let h: Harness;
let billedUsd = 0;

// The prompt with the results the plugin added: 3,000 tokens; the answer writes its 100.
const PROMPT = 3000;
const OUT = 100;

// Exa finds as many results as the plugin asks for (5 when it names none).
harnessOnOpenRouter(
  (started) => (h = started),
  (_, b) => {
    const plugin = (b.plugins as Array<{ max_results?: number }>)[0]!;
    const cost = PROMPT * 0.02e-6 + OUT * 0.03e-6 + (plugin.max_results ?? 5) * 0.004;
    billedUsd += cost;
    return openRouterAnswer({
      id: 'gen-web',
      model: 'meta-llama/llama-3.1-8b-instruct',
      finish_reason: 'length',
      input: PROMPT,
      outputTokens: OUT,
      cost,
    });
  },
);

it('two concurrent requests with the web plugin on a budget with room for one', async () => {
  // One request: 3,000 × 0.02e-6 + 100 × 0.03e-6 + 5 × 0.004 = 0.00006 + 0.000003 + 0.02 =
  // $0.020063. Reserved at its tokens alone (a few hundred-thousandths of a dollar), both were
  // admitted on $0.035 and billed $0.040126. With the $0.02 of results reserved, the second finds
  // less than $0.015 left: refused.
  const token = await h.tool('or-web', { dailyUsd: 0.035 });
  const body = {
    model: 'openrouter/meta-llama/llama-3.1-8b-instruct',
    max_tokens: OUT,
    plugins: [{ id: 'web' }],
    messages: [{ role: 'user', content: 'what is new today?' }],
  };
  const statuses = await Promise.all([1, 2].map(() => postStatus(h, '/v1/chat/completions', token, body)));
  expect(statuses.sort()).toEqual([200, 429]);
  expect(billedUsd).toBe(0.020063);
  await expect.poll(() => h.spentBy('or-web')).toBe(0.020063);
});
