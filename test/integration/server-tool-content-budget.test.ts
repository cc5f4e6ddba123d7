// What Anthropic's server tools bring into the conversation is billed as input, though the request
// body never held it: a web fetch's page or PDF ("no additional charges beyond standard token
// costs": the fetched content is input; its size is bounded only by the tool's optional
// `max_content_tokens`, docs.claude.com/en/docs/agents-and-tools/tool-use/web-fetch-tool, read
// 2026-11-29), and likewise each web search's results. Shimmy reserves the body's input, the
// output limit and each search's $0.01 fee, not that content.
//
// KNOWN GAP, kept failing (it.fails; found by red14, 2026-11-29): one fetch of a 150,000-token
// document, five requests at once, billed $2.26 on a $0.10/day budget. The fix belongs beside the
// web search bound (limits/web-search-uses.ts, gaps14's files): give each web_fetch tool a
// `max_uses` (as web search gets 8) and a `max_content_tokens` where it names none, written into
// the body sent, and reserve uses × max_content_tokens of input (and a bound for each search's
// results) — or, without writing, the model's context window of input for a request that has such
// a tool.
// Prices: claude-sonnet-4-5 $3 in / $15 out per 1M (docs.claude.com/en/docs/about-claude/pricing,
// read 2026-11-29).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { startJsonProvider, type JsonProvider } from '../support/json-provider.js';

const PAGE_TOKENS = 150_000;
const OWN_INPUT = 20;

let h: Harness;
let provider: JsonProvider;
let billedUsd = 0;

beforeAll(async () => {
  h = await startHarness();
  // Fetches the page once (max_uses 1) and answers at its output limit.
  provider = await startJsonProvider((_, b) => {
    const input = OWN_INPUT + PAGE_TOKENS;
    const output = Number(b.max_tokens);
    // 150,020 × 3e-6 + 100 × 15e-6 = $0.45156
    billedUsd += input * 3e-6 + output * 15e-6;
    return {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'ok' }],
      stop_reason: 'max_tokens',
      usage: { input_tokens: input, output_tokens: output, server_tool_use: { web_fetch_requests: 1 } },
    };
  });
  await h.point('anthropic', provider.url);
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

it.fails('five requests at once that fetch a 150,000-token document, on a $0.10/day budget', async () => {
  const token = await h.tool('fetcher', { dailyUsd: 0.1 });
  const before = billedUsd;
  await Promise.all(
    Array.from({ length: 5 }, () =>
      fetch(`${h.core.url}/v1/messages`, {
        method: 'POST',
        headers: {
          'x-api-key': token,
          'anthropic-version': '2023-06-01',
          'anthropic-beta': 'web-fetch-2025-09-10',
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          model: 'claude-sonnet-4-5',
          max_tokens: 100,
          tools: [{ type: 'web_fetch_20250910', name: 'web_fetch', max_uses: 1 }],
          messages: [{ role: 'user', content: 'Summarize https://example.com/report.pdf' }],
        }),
      }).then(async (r) => (await r.text(), r.status)),
    ),
  );
  const billed = billedUsd - before;
  expect(billed, `provider billed $${billed.toFixed(5)} on a $0.10 budget`).toBeLessThanOrEqual(0.1);
});
