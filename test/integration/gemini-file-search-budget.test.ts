// Gemini's File Search tool (`tools: [{ fileSearch: { fileSearchStoreNames: [...] } }]`) retrieves
// chunks of the files in a store into the context, and "retrieved document tokens are charged as
// regular context tokens" (ai.google.dev/gemini-api/docs/file-search, "Pricing", read 2026-11-29):
// how many chunks, and how large (the store's own chunking config), the request does not say.
// Shimmy reserved the prompt and the answer, not the chunks. Here the provider reports them as
// `toolUsePromptTokenCount` (as for URL context); were they inside `promptTokenCount` instead,
// Shimmy reads them as input all the same.
// Prices: gemini-2.5-flash $0.30 in / $2.50 out per 1M tokens, context window 1,048,576
// (ai.google.dev/gemini-api/docs/pricing and /models, read 2026-11-29).
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { geminiAnswer, harnessOnJsonProvider, postStatus } from '../support/json-provider.js';

/** Tokens of the chunks the tool retrieved. */
const CHUNKS = 300_000;

let h: Harness;
let billedUsd = 0;

harnessOnJsonProvider(
  ['google'],
  (x) => (h = x),
  (_, b) => {
    const output = Number((b.generationConfig as { maxOutputTokens: number }).maxOutputTokens);
    const retrieved = /"file_?[sS]earch"/.test(JSON.stringify(b.tools ?? [])) ? CHUNKS : 0;
    billedUsd += (20 + retrieved) * 0.3e-6 + output * 2.5e-6;
    return geminiAnswer({
      text: 'An answer from the files.',
      finishReason: 'MAX_TOKENS',
      input: 20,
      outputTokens: output,
      usage: { toolUsePromptTokenCount: retrieved },
    });
  },
);

const ask = (token: string, tool: Record<string, unknown>) =>
  postStatus(h, '/v1beta/models/gemini-2.5-flash:generateContent', token, {
    contents: [{ role: 'user', parts: [{ text: 'What do the contracts say about renewal?' }] }],
    tools: [tool],
    generationConfig: { maxOutputTokens: 100 },
  });

async function spend(token: string, n: number, tool: Record<string, unknown>) {
  const before = billedUsd;
  const statuses = await Promise.all(Array.from({ length: n }, () => ask(token, tool)));
  return { statuses, billed: billedUsd - before };
}

it('five requests at once that retrieve 300,000 tokens of chunks, on a $0.10/day budget', async () => {
  // Each billed 300,020 × 0.3e-6 + 100 × 2.5e-6 = $0.090256; reserved before at its prompt and
  // answer (~$0.00026): all five went, $0.45128. At the 1,048,576-token window ($0.3148228) none.
  const token = await h.tool('file-searcher', { dailyUsd: 0.1 });
  const { billed } = await spend(token, 5, {
    fileSearch: { fileSearchStoreNames: ['fileSearchStores/contracts'] },
  });
  expect(billed, `provider billed $${billed.toFixed(6)} on a $0.10 budget`).toBeLessThanOrEqual(0.1);
});

it('the snake_case spelling, on a budget that holds the window once', async () => {
  const token = await h.tool('file-searcher-room', { dailyUsd: 0.4 });
  const { statuses, billed } = await spend(token, 3, {
    file_search: { file_search_store_names: ['fileSearchStores/contracts'] },
  });
  expect(statuses.filter((s) => s === 200).length).toBe(1);
  expect(billed, `provider billed $${billed.toFixed(6)} on a $0.40 budget`).toBeLessThanOrEqual(0.4);
});
