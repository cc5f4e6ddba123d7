// What Anthropic's server tools bring into the conversation is billed as input, though the request
// body never held it: a web fetch's page or PDF ("no additional charges beyond standard token
// costs": the fetched content is input; its size is bounded only by the tool's optional
// `max_content_tokens`, docs.claude.com/en/docs/agents-and-tools/tool-use/web-fetch-tool, read
// 2026-11-29), and likewise each web search's results. Shimmy reserves the body's input, the
// output limit and each search's $0.01 fee, not that content.
//
// Found by red14 (2026-11-29; kept as it.fails until fixed): one fetch of a 150,000-token
// document, five requests at once, billed $2.26 on a $0.10/day budget. A request with a web fetch
// tool is now reserved with its `max_uses` × `max_content_tokens` of fetched input, or the model's
// context window when the tool does not name both (limits/tool-content-input.ts). Each web
// search's results are billed as input as well: search-results-budget.test.ts.
// Prices: claude-sonnet-4-5 $3 in / $15 out per 1M (docs.claude.com/en/docs/about-claude/pricing,
// read 2026-11-29).
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { harnessOnJsonProvider, messagesAnswer, postStatus } from '../support/json-provider.js';

const PAGE_TOKENS = 150_000;
const OWN_INPUT = 20;

let h: Harness;
let billedUsd = 0;

// Fetches the page once (max_uses 1) and answers at its output limit.
harnessOnJsonProvider(
  ['anthropic'],
  (x) => (h = x),
  (_, b) => {
    // A real fetch stops at the tool's max_content_tokens.
    const bound = Number(
      (b.tools as Array<{ max_content_tokens?: number }>)[0]?.max_content_tokens ?? Infinity,
    );
    const input = OWN_INPUT + Math.min(PAGE_TOKENS, bound);
    const output = Number(b.max_tokens);
    // 150,020 × 3e-6 + 100 × 15e-6 = $0.45156
    billedUsd += input * 3e-6 + output * 15e-6;
    return messagesAnswer({
      id: 'msg_1',
      stop_reason: 'max_tokens',
      input,
      outputTokens: output,
      server_tool_use: { web_fetch_requests: 1 },
    });
  },
);

/** Five summaries of one document at once, fetched by the web fetch tool `fetchTool` extends. */
const fiveFetches = (token: string, fetchTool: Record<string, unknown> = {}) =>
  Promise.all(
    Array.from({ length: 5 }, () =>
      postStatus(
        h,
        '/v1/messages',
        token,
        {
          model: 'claude-sonnet-4-5',
          max_tokens: 100,
          tools: [{ type: 'web_fetch_20250910', name: 'web_fetch', max_uses: 1, ...fetchTool }],
          messages: [{ role: 'user', content: 'Summarize https://example.com/report.pdf' }],
        },
        { 'anthropic-beta': 'web-fetch-2025-09-10' },
      ),
    ),
  );

it('five requests at once that fetch a 150,000-token document, on a $0.10/day budget', async () => {
  const token = await h.tool('fetcher', { dailyUsd: 0.1 });
  const before = billedUsd;
  await fiveFetches(token);
  const billed = billedUsd - before;
  expect(billed, `provider billed $${billed.toFixed(5)} on a $0.10 budget`).toBeLessThanOrEqual(0.1);
});

it('a fetch tool that bounds its content is reserved at that bound and admitted', async () => {
  const token = await h.tool('bounded-fetcher', { dailyUsd: 0.2 });
  const before = billedUsd;
  const statuses = await fiveFetches(token, { max_content_tokens: 20_000 });
  const billed = billedUsd - before;
  // Each: (20 + 20,000) × $3e-6 + 100 × $15e-6 = $0.06156; three fit in $0.20 ($0.18468).
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
  expect(billed, `provider billed $${billed.toFixed(5)} on a $0.20 budget`).toBeLessThanOrEqual(0.2);
});
