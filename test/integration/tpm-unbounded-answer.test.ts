// A TPM limit and a request that names no output limit. It is counted at 4,096 output tokens
// (proxy/stages/admit.ts TPM_OUTPUT_ESTIMATE), but nothing goes upstream to hold the answer to
// that: it may run to the model's maximum. Its excess counts for the minute after it settles
// (limits/rate-window.ts), which keeps the window honest for one minute and no more: a tool whose
// answers are each five times its TPM gets five times its TPM through, minute after minute. (A
// request that names a limit above its TPM is refused: "more than its limit".) (tpm15, 2026-11-29.)
// Now a TPM tool's request that names no output limit is counted, and goes upstream, at the
// model's maximum lowered to what its minute holds after its input (admit.ts, `tpm`), said in
// x-shimmy-max-tokens-capped.
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { chatAnswer, harnessOnJsonProvider } from '../support/json-provider.js';

const INPUT = 8;
/** What the model writes when nothing stops it. */
const LONGEST = 50_000;
let h: Harness;
let clock = Date.parse('2026-11-29T10:00:00.000Z');
/** Tokens the provider generated. */
let generated = 0;

harnessOnJsonProvider(
  ['openai'],
  (x) => (h = x),
  (_, b) => {
    const body = b as { max_tokens?: number; max_completion_tokens?: number };
    const output = Math.min(LONGEST, body.max_completion_tokens ?? body.max_tokens ?? Infinity);
    generated += INPUT + output;
    return chatAnswer({
      id: 'c1',
      model: 'gpt-4o-mini',
      finish_reason: 'stop',
      input: INPUT,
      outputTokens: output,
      text: 'words',
    });
  },
  { core: { now: () => new Date(clock) } },
);

const recorded = async () =>
  (await h.admin.call('listRequests', { query: { tool: 'unbounded', limit: '100' } })).records.length;

it('three minutes of answers that name no output limit, on a 10,000 TPM', async () => {
  const token = await h.tool('unbounded', { tpm: 10_000 });
  const statuses: number[] = [];
  // One request every 5 s for three minutes, each as soon as the window lets it.
  for (let t = 0; t < 180_000; t += 5_000) {
    const res = await fetch(`${h.core.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await res.text();
    statuses.push(res.status);
    // Settled (the ledger has its record) before the clock moves on.
    await expect.poll(recorded).toBe(statuses.length);
    clock += 5_000;
  }
  // Three minutes hold 30,000 tokens, and one answer's counted 4,104 may straddle their end.
  // Before: 150,024 (an answer of 50,008 at 0, 60 and 120 s).
  const figures = `${generated} tokens in 3 minutes on a 10,000 TPM; admitted ${statuses.filter((s) => s === 200).length}`;
  expect(generated, figures).toBeLessThanOrEqual(30_000 + INPUT + 4_096);
});
