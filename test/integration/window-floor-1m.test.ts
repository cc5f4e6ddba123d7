// What a server tool brings in and only the context window bounds is reserved at the window
// (limits/tool-content-input.ts) — the model's, 200,000 for claude-sonnet-4-5, even when the
// request asks for the 1M-token window with the `context-1m-2025-08-07` beta, where the provider
// bills up to 1,000,000 input tokens, past 200,000 at the long-context rate (input15, 2026-11-29).
// Prices: claude-sonnet-4-5 $3 in / $15 out per 1M, past 200,000 input tokens $6 / $22.50, web
// fetch free beyond its tokens (docs.claude.com/en/docs/about-claude/pricing and
// .../tool-use/web-fetch-tool, read 2026-11-29).
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { harnessOnJsonProvider, messagesAnswer } from '../support/json-provider.js';

/** A document the fetch brings in, past the model's 200,000 but within the 1M window. */
const DOCUMENT = 500_000;

let h: Harness;
let billedUsd = 0;

harnessOnJsonProvider(
  ['anthropic'],
  (x) => (h = x),
  (_, b) => {
    const input = 20 + DOCUMENT;
    const output = Number(b.max_tokens);
    // 500,020 × 6e-6 + 100 × 22.5e-6 = $3.002370
    billedUsd += input * 6e-6 + output * 22.5e-6;
    return messagesAnswer({
      id: 'msg_w',
      stop_reason: 'max_tokens',
      input,
      outputTokens: output,
      server_tool_use: { web_fetch_requests: 1 },
    });
  },
);

it('a web fetch with the 1M-context beta on a $2/day budget', async () => {
  // Reserved at the model's window, nudged past the 200,000 tier (200,001 × 6e-6 + 100 × 22.5e-6 =
  // $1.202256), it went, billed $3.00237. At the 1M window ($6.00225) it does not.
  const token = await h.tool('fetch-1m', { dailyUsd: 2 });
  const before = billedUsd;
  await fetch(`${h.core.url}/v1/messages`, {
    method: 'POST',
    headers: {
      'x-api-key': token,
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'web-fetch-2025-09-10,context-1m-2025-08-07',
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      tools: [{ type: 'web_fetch_20250910', name: 'web_fetch', max_uses: 1 }],
      messages: [{ role: 'user', content: 'Summarize https://example.com/archive.pdf' }],
    }),
  }).then((r) => r.text());
  const billed = billedUsd - before;
  expect(billed, `provider billed $${billed.toFixed(6)} on a $2 budget`).toBeLessThanOrEqual(2);
});
