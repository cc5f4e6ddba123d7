// claude-sonnet-4-5's context window is 200,000 tokens, or 1,000,000 with the beta header
// `context-1m-2025-08-07` (what Claude Code sends for "sonnet[1m]"); past 200,000 input tokens the
// whole request is billed at the long-context rate: $6 in / $22.50 out per 1M instead of $3 / $15
// (docs.claude.com/en/docs/build-with-claude/context-windows#1m-token-context-window and
// /about-claude/pricing#long-context-pricing, read 2026-11-29; the bundled catalog's tiers).
// Shimmy counts Claude's input with o200k_base × a factor, within 12% of Claude's own count
// (limits/reserved-input.ts FOREIGN_COUNT_MARGIN), so an input it counts just under a threshold is
// reserved past it — except a tier at the end of the model's context window, which a longer input
// cannot reach. With the 1M beta, the 200,000 tier is not at the window's end: an input counted just
// under it was reserved at the standard rate and billed at twice that (found by red14, 2026-11-29).
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { harnessOnJsonProvider, messagesAnswer, postStatus } from '../support/json-provider.js';
import { proseOf } from '../support/prose-input.js';

let h: Harness;
/** Input tokens the provider reports for the next request. */
let providerCount = 0;
let billedUsd = 0;

harnessOnJsonProvider(
  ['anthropic'],
  (started) => (h = started),
  (_, b) => {
    const output = Number(b.max_tokens);
    const long = providerCount > 200_000;
    billedUsd += providerCount * (long ? 6e-6 : 3e-6) + output * (long ? 22.5e-6 : 15e-6);
    return messagesAnswer({
      id: 'msg_x',
      stop_reason: 'max_tokens',
      model: String(b.model),
      input: providerCount,
      outputTokens: output,
    });
  },
);

it('with the 1M-context beta, an input counted just under 200,000 that Claude counts over it, on a $1/day budget', async () => {
  const { body, estimate } = proseOf('claude-sonnet-4-5', 195_000);
  expect(estimate).toBeGreaterThan(190_000);
  expect(estimate).toBeLessThan(200_000);
  // Claude counts 8% more than Shimmy's estimate here (within the 12% margin): over 200,000.
  providerCount = Math.ceil(estimate * 1.08);
  expect(providerCount).toBeGreaterThan(200_000);
  // Reserved at the standard rate: about 195,000 × 3e-6 + 1,000 × 15e-6 ≈ $0.60, inside $1. Billed
  // at the long-context rate: about 210,600 × 6e-6 + 1,000 × 22.5e-6 ≈ $1.29. Reserved past the
  // tier (more than 200,000 × 6e-6 = $1.20), it is refused.
  const token = await h.tool('one-million', { dailyUsd: 1 });
  const before = billedUsd;
  const status = await postStatus(h, '/v1/messages', token, body, {
    'anthropic-beta': 'context-1m-2025-08-07',
  });
  await expect.poll(async () => (await h.records('one-million')).length).toBe(1);
  const billed = billedUsd - before;
  expect(billed, `provider billed $${billed.toFixed(6)} on a $1 budget`).toBeLessThanOrEqual(1);
  expect(status).toBe(429);
  expect(await h.spentBy('one-million')).toBeLessThanOrEqual(1);
});
