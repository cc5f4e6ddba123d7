// Gemini tools that bring input the request cannot bound, billed as input tokens:
// - URL context fetches the pages a prompt names, and "the content retrieved from the URLs you
//   provide is counted as input tokens" — up to 20 URLs a request, 34 MB each, no token bound the
//   request can name (ai.google.dev/gemini-api/docs/url-context, "Limitations" and "Pricing", read
//   2026-11-29); the answer reports it as `usageMetadata.toolUsePromptTokenCount`. Shimmy reserved
//   the prompt and the answer, not the pages (input15, 2026-11-29).
// - File Search (`tools: [{ fileSearch: { fileSearchStoreNames: [...] } }]`) retrieves chunks of
//   a store's files, and "retrieved document tokens are charged as regular context tokens"
//   (ai.google.dev/gemini-api/docs/file-search, "Pricing", read 2026-11-29): how many chunks, and
//   how large (the store's own chunking config), the request does not say (red17b, 2026-11-29).
//   The provider here reports them as `toolUsePromptTokenCount` too; were they inside
//   `promptTokenCount` instead, Shimmy reads them as input all the same.
// Prices: gemini-2.5-flash $0.30 in / $2.50 out per 1M tokens, context window 1,048,576
// (ai.google.dev/gemini-api/docs/pricing and /models, read 2026-11-29).
import { expect, it } from 'vitest';
import { harnessOnGemini } from '../support/gemini-billing.js';
import { geminiAnswer, postStatus } from '../support/json-provider.js';

/** Tokens of the pages the URL context tool fetched, or of the chunks File Search retrieved. */
const BROUGHT = 300_000;

const h = harnessOnGemini(({ body: b, output, bill }) => {
  const tools = JSON.stringify(b.tools ?? []);
  const readsUrls = tools.includes('urlContext');
  const brought = readsUrls || /"file_?[sS]earch"/.test(tools) ? BROUGHT : 0;
  bill((20 + brought) * 0.3e-6 + output * 2.5e-6);
  return geminiAnswer({
    text: 'A summary.',
    finishReason: 'MAX_TOKENS',
    ...(readsUrls
      ? {
          candidate: {
            urlContextMetadata: {
              urlMetadata: [
                {
                  retrievedUrl: 'https://example.com/a',
                  urlRetrievalStatus: 'URL_RETRIEVAL_STATUS_SUCCESS',
                },
              ],
            },
          },
        }
      : {}),
    input: 20,
    outputTokens: output,
    usage: { toolUsePromptTokenCount: brought },
  });
});

const URL_CONTEXT = { urlContext: {} };

const ask = (token: string, tool: Record<string, unknown>) =>
  postStatus(h, '/v1beta/models/gemini-2.5-flash:generateContent', token, {
    contents: [{ role: 'user', parts: [{ text: 'Summarize https://example.com/a' }] }],
    tools: [tool],
    generationConfig: { maxOutputTokens: 100 },
  });

async function spend(token: string, n: number, tool: Record<string, unknown>) {
  const { result: statuses, billed } = await h.billedDuring(() =>
    Promise.all(Array.from({ length: n }, () => ask(token, tool))),
  );
  return { statuses, billed };
}

it('five requests at once that read a 300,000-token page, on a $0.10/day budget', async () => {
  // Each billed 300,020 × 0.3e-6 + 100 × 2.5e-6 = $0.090256; reserved before at its prompt and
  // answer (~$0.00026): all five went, $0.45128. At the 1,048,576-token window ($0.3148228) none.
  const token = await h.tool('url-reader', { dailyUsd: 0.1 });
  const { billed } = await spend(token, 5, URL_CONTEXT);
  expect(billed, `provider billed $${billed.toFixed(6)} on a $0.10 budget`).toBeLessThanOrEqual(0.1);
});

it('a budget that holds the window admits one', async () => {
  const token = await h.tool('url-reader-room', { dailyUsd: 0.4 });
  const { statuses, billed } = await spend(token, 3, URL_CONTEXT);
  expect(statuses.filter((s) => s === 200).length).toBe(1);
  expect(billed, `provider billed $${billed.toFixed(6)} on a $0.40 budget`).toBeLessThanOrEqual(0.4);
});

it('five requests at once that retrieve 300,000 tokens of chunks, on a $0.10/day budget', async () => {
  // As for the pages: each billed $0.090256, all five went before ($0.45128); at the window none.
  const token = await h.tool('file-searcher', { dailyUsd: 0.1 });
  const { billed } = await spend(token, 5, {
    fileSearch: { fileSearchStoreNames: ['fileSearchStores/contracts'] },
  });
  expect(billed, `provider billed $${billed.toFixed(6)} on a $0.10 budget`).toBeLessThanOrEqual(0.1);
});

it('File Search in the snake_case spelling, on a budget that holds the window once', async () => {
  const token = await h.tool('file-searcher-room', { dailyUsd: 0.4 });
  const { statuses, billed } = await spend(token, 3, {
    file_search: { file_search_store_names: ['fileSearchStores/contracts'] },
  });
  expect(statuses.filter((s) => s === 200).length).toBe(1);
  expect(billed, `provider billed $${billed.toFixed(6)} on a $0.40 budget`).toBeLessThanOrEqual(0.4);
});
