// A request the provider received whole, then lost the connection of (ECONNRESET), may still be
// processed and billed upstream: OpenAI and Anthropic bill the tokens of a request they worked
// on whether or not the answer reached the client. Shimmy sent it again on the pool's other
// key, and that copy answered; the first copy was neither reserved nor charged. (The timeout
// case, which is not sent again: failover-spend.test.ts.)
// gpt-4o-mini: $0.15 in / $0.60 out per 1M (openai.com/api/pricing, read 2026-11-29).
import { expect, it } from 'vitest';
import { chatCharged, harnessOnHalfFailingPool } from '../support/failover-pool.js';
import type { Harness } from '../support/harness.js';
import { RESET } from '../support/json-provider.js';

/** Every answer: 1,000 prompt + 500 completion tokens = 1000 × 0.15e-6 + 500 × 0.60e-6 = $0.00045. */
const ANSWER_USD = 0.00045;
/** Input alone of a received request: 1,000 × 0.15e-6. */
const INPUT_USD = 0.00015;

let h: Harness;
/** Requests the provider received whole (each one it may bill), and the ones it reset (failed). */
const seen = harnessOnHalfFailingPool(
  // Every odd request is read to its end, then its connection is reset (an RST: ECONNRESET).
  () => RESET,
  (started) => (h = started),
);

// Fixed in send-with-failover.ts: a request that failed after it was written is not sent again.
it('a request reset after the provider read it, sent again by the failover, is charged for both copies', async () => {
  const token = await h.tool('reset-user', { dailyUsd: 1 });
  const { status, charged } = await chatCharged(h, 'reset-user', token);
  // Answered by the second copy, or the reset itself (502) when it is not sent again.
  expect([200, 502]).toContain(status);
  // Every request the provider received whole is spend: an answered one $0.00045, a reset one at
  // least its input, $0.00015. On main: 2 received, 1 reset, $0.00045 charged (want >= $0.0006).
  expect(seen.received).toBeGreaterThan(0);
  expect(charged).toBeGreaterThanOrEqual(
    (seen.received - seen.failed) * ANSWER_USD + seen.failed * INPUT_USD,
  );
});
