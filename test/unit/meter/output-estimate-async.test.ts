// An open slow stream's deltas, counted at the held-events sweep's visit, go to the tokenizer
// thread's async lane: the proxy's event loop goes on meanwhile. Counted with a wait, they held the
// event loop ~1.1 s over a 1,000-slow-stream run (issue 16: first-byte p99). The count stays exact
// whenever it is asked for: before the thread answers (then counted with a wait) or after.
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import type { HeldEventsSweep } from '../../../main/core/meter/held-events-sweep.js';
import { OutputEstimator, SWEPT_PENDING_MAX_DELTAS } from '../../../main/core/meter/output-estimate.js';
import { tokenizerThread } from '../../../main/core/meter/tokenizer-thread.js';
import { field } from '../../../main/core/meter/usage-fields.js';

const noSweep: HeldEventsSweep = { watch: () => undefined, forget: () => undefined, watching: () => 0 };
// Varied words, so each delta is real BPE work and counts differ from their lengths.
const WORDS = ['metering', ' budget', ' tokenizer', ' a', ' the', ' Ünïcode', ' 12345', ' proxy', '\n', ' —'];
const deltas = Array.from(
  { length: SWEPT_PENDING_MAX_DELTAS + 6 },
  (_, i) => WORDS[i % WORDS.length]! + WORDS[(i * 7) % WORDS.length]!,
);
// Hand count with the encoding itself (gpt-4o: o200k_base), each delta on its own as Shimmy sums them.
const expected = deltas.reduce((n, d) => n + countTokens(d), 0);

function slowStream(): OutputEstimator {
  const e = new OutputEstimator('openai', (data, add) => add(field(data, 't')), noSweep);
  for (const d of deltas) e.add(d, 'gpt-4o');
  return e;
}

describe('a swept stream’s deltas', () => {
  it('go to the async lane at the sweep’s visit, not counted with a wait', () => {
    const e = slowStream();
    expect(tokenizerThread.laneBusy('o200k_base')).toBe(false);
    e.parseHeld();
    expect(tokenizerThread.laneBusy('o200k_base')).toBe(true);
    // Asked for before the thread answers: counted now, exactly.
    expect(e.tokens()).toBe(expected);
  });

  it('count exactly once the thread has answered, and the bound holds meanwhile', async () => {
    const e = slowStream();
    e.parseHeld();
    expect(e.tokens(true)).toBeGreaterThanOrEqual(expected);
    await expect.poll(() => tokenizerThread.laneBusy('o200k_base'), { timeout: 5_000 }).toBe(false);
    await new Promise((r) => setImmediate(r));
    expect(e.retainedChars()).toBe(0);
    expect(e.tokens(true)).toBe(expected);
    expect(e.tokens()).toBe(expected);
  });
});
