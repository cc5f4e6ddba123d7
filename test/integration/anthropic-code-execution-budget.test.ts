// Anthropic's code execution tool (`code_execution_20250522` / `_20250825`) is billed by the time
// its container runs, on top of the tokens: $0.05 per hour per container past the organization's
// free hours, at least 5 minutes per use (docs.claude.com/en/docs/agents-and-tools/tool-use/
// code-execution-tool, "Usage and pricing"; read 2026-11-29). The answer says nothing of that time
// (its usage has tokens only; `container.expires_at` is when the container goes, not what ran), and
// the price catalog has no rate for it, so such a request was reserved and recorded at its tokens
// alone. Like Gemini's grounding (gemini-grounding-budget.test.ts), it is refused to a budgeted tool
// (403 unpriced_endpoint) and recorded unpriced for the others.
// Prices: claude-haiku-4-5 $1 in / $5 out per 1M tokens (docs.claude.com/en/docs/about-claude/
// pricing, read 2026-11-29); 5 minutes of a container = $0.05 × 5 / 60 = $0.0041667.
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { onlyRecordedCost } from '../support/recorded-cost.js';
import { harnessOnJsonProvider, messagesAnswer, postStatus } from '../support/json-provider.js';

let h: Harness;
let billedUsd = 0;

harnessOnJsonProvider(
  ['anthropic'],
  (x) => (h = x),
  (_, b) => {
    const tools = JSON.stringify(b.tools ?? []);
    // Free beside the 2026-02-09 web search or fetch tools (same page).
    const runsCode = tools.includes('"code_execution_') && !/_20260209"/.test(tools);
    // 100 × 1e-6 + 100 × 5e-6 + 0.05 × 5 / 60 = $0.0047667
    billedUsd += 100 * 1e-6 + 100 * 5e-6 + (runsCode ? (0.05 * 5) / 60 : 0);
    return messagesAnswer({
      id: 'msg_1',
      model: 'claude-haiku-4-5-20251001',
      stop_reason: 'end_turn',
      text: 'The mean is 5.5.',
      input: 100,
      outputTokens: 100,
    });
  },
);

const ask = (token: string) =>
  postStatus(h, '/v1/messages', token, {
    model: 'claude-haiku-4-5',
    max_tokens: 100,
    messages: [{ role: 'user', content: 'Mean of 1..10?' }],
    tools: [{ type: 'code_execution_20250825', name: 'code_execution' }],
  });

it('ten requests that run code on a $0.01/day budget', async () => {
  // Before: each reserved and recorded at its tokens ($0.0006; reserved a little above, at the
  // counted input), all ten went: 10 × $0.0047667 = $0.047667 billed on $0.01, $0.006 recorded.
  const token = await h.tool('runs-code', { dailyUsd: 0.01 });
  const before = billedUsd;
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) statuses.push(await ask(token));
  const billed = billedUsd - before;
  const spent = await h.spentBy('runs-code');
  const figures = `provider billed $${billed.toFixed(6)} on a $0.01 budget, Shimmy recorded $${spent}`;
  expect(billed, figures).toBeLessThanOrEqual(0.01);
  expect(statuses).toEqual(Array(10).fill(403));
});

it('without a budget it goes out, recorded unpriced rather than at its tokens alone', async () => {
  const token = await h.tool('runs-code-free');
  expect(await ask(token)).toBe(200);
  expect(await onlyRecordedCost(h, 'runs-code-free')).toBeNull();
});

it('beside the web fetch tool that makes it free, it is metered as usual', async () => {
  // "Code execution is free when used with web search or web fetch": with web_fetch_20260209 in the
  // request, only the tokens are billed (same page): 100 × 1e-6 + 100 × 5e-6 = $0.0006.
  const token = await h.tool('runs-code-fetching');
  expect(
    await postStatus(h, '/v1/messages', token, {
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Mean of 1..10?' }],
      tools: [
        { type: 'code_execution_20250825', name: 'code_execution' },
        { type: 'web_fetch_20260209', name: 'web_fetch', max_uses: 1 },
      ],
    }),
  ).toBe(200);
  expect(await onlyRecordedCost(h, 'runs-code-fetching')).toBe(0.0006);
});
