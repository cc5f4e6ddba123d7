// OpenAI serves a request that names no service_tier at its project's tier — Priority (2× for
// gpt-5) when the project chose Priority processing (platform.openai.com/docs/api-reference/chat/
// create, "service_tier", read 2026-11-29) — and Shimmy, which cannot read that setting, reserves
// such a request at the tier the provider's latest answer to one said (limits/served-tiers.ts).
// The project is chosen by the key and, for a key that reaches several, the `OpenAI-Project`
// header, which Shimmy forwards from the client. One answer to a request sent to another project
// taught Shimmy that provider's unnamed requests are served at `default`; the next ones, sent to
// the key's own Priority project, were reserved at half their price (found by red14, 2026-11-29).
// A request that names its own project or organization now neither teaches the provider's tier nor
// trusts it: it is reserved at Priority.
// Prices: gpt-5 $1.25 in / $10 out per 1M, Priority $2.50 / $20 (openai.com/api/pricing and
// openai.com/api-priority-processing, read 2026-11-29).
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { chatAnswer, harnessOnJsonProvider, postStatus } from '../support/json-provider.js';

let h: Harness;
let billedUsd = 0;

// The key's own project is set to Priority; `proj_default` serves at the default tier.
harnessOnJsonProvider(
  ['openai'],
  (x) => (h = x),
  async (_, b, __, headers) => {
    const tier = headers['openai-project'] === 'proj_default' ? 'default' : 'priority';
    const f = tier === 'priority' ? 2 : 1;
    const output = b.max_completion_tokens as number;
    billedUsd += f * (8 * 1.25e-6 + output * 10e-6);
    // It takes a moment to answer: requests sent together are all in flight at once.
    await sleep(300);
    return chatAnswer({
      id: 'chatcmpl-t',
      model: 'gpt-5-2025-08-07',
      service_tier: tier,
      finish_reason: 'length',
      input: 8,
      outputTokens: output,
    });
  },
);

const chat = (token: string, headers: Record<string, string> = {}) =>
  postStatus(
    h,
    '/v1/chat/completions',
    token,
    { model: 'gpt-5', max_completion_tokens: 1_000, messages: [{ role: 'user', content: 'hi' }] },
    headers,
  );

it('one answer from another project, then 10 requests at once to the Priority one, on a $0.10/day budget', async () => {
  const token = await h.tool('project-hopper', { dailyUsd: 0.1 });
  const before = billedUsd;
  // 8 × 1.25e-6 + 1,000 × 10e-6 = $0.01001 at the default tier; $0.02002 at Priority.
  expect(await chat(token, { 'openai-project': 'proj_default' })).toBe(200);
  const statuses = await Promise.all(Array.from({ length: 10 }, () => chat(token)));
  const billed = billedUsd - before;
  const sent = statuses.filter((s) => s === 200).length;
  // Before: reserved at $0.01001 each, eight went out: $0.01001 + 8 × $0.02002 = $0.17017.
  expect(billed, `${sent} sent; provider billed $${billed.toFixed(5)} on a $0.10 budget`).toBeLessThanOrEqual(
    0.1,
  );
  expect(sent).toBeGreaterThan(0);
});
