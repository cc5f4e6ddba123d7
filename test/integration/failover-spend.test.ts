// A request that reached the provider is spend, even when Shimmy then tries another key or
// provider (README, Budgets: "A request that reached the provider is charged even when its answer
// is never read — … the upstream timed out"). Here the first attempt reaches the provider and times
// out, the failover sends the request again on the pool's other key, and that one answers: the
// provider has now billed two requests.
// gpt-4o-mini: $0.15 in / $0.60 out per 1M (openai.com/api/pricing, read 2026-11-27).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { chatCharged, harnessOnHalfFailingPool } from '../support/failover-pool.js';
import type { Harness } from '../support/harness.js';

/** Every answer: 1,000 prompt + 500 completion tokens = 1000 × 0.15e-6 + 500 × 0.60e-6 = $0.00045. */
const ANSWER_USD = 0.00045;

let h: Harness;
/** Requests the provider received (each one it may bill), and the ones it left hanging (failed). */
const seen = harnessOnHalfFailingPool(
  // Every odd request hangs: the provider is working on it (and will bill it) but has not
  // answered within Shimmy's upstream timeout.
  () => new Promise(() => {}),
  (started) => (h = started),
  async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'shimmy-failover-spend-'));
    await fs.writeFile(
      path.join(dataDir, 'config.json'),
      JSON.stringify({ settings: { upstreamTimeoutMs: 300 } }),
    );
    return { dataDir };
  },
);

it('a timed-out attempt that the failover sends again is charged too', async () => {
  const token = await h.tool('pool-user', { dailyUsd: 1 });
  const { status, charged } = await chatCharged(h, 'pool-user', token);
  // Answered, or the timeout itself (504) when the request is not sent a second time.
  expect([200, 504]).toContain(status);
  // Every request the provider received is spend: an answered one $0.00045; one it held until the
  // timeout at least its input (1000 × 0.15e-6 = $0.00015) — Shimmy's own rule for an unread answer
  // charges its reserved worst case (>= 1,000 output tokens × 0.60e-6 = $0.0006).
  const held = seen.failed;
  expect(charged).toBeGreaterThanOrEqual((seen.received - held) * ANSWER_USD + held * 0.00015);
});
