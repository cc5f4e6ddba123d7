// A stream's output deltas are tokenized hundreds at a time: each hand-over to the tokenizer thread
// is a wait on the event loop (a futex wake of the thread and one back), which on a busy machine
// cost more than relaying the delta — 400 hand-overs for a 400-delta answer before.
import { describe, expect, it } from 'vitest';
import { OutputEstimator } from '../../../main/core/meter/output-estimate.js';
import { countOpenAiTokens, tokenizerHandOvers } from '../../../main/core/meter/token-count.js';
import {
  createTokenizerThread,
  ENCODINGS,
  tokenizerThread,
} from '../../../main/core/meter/tokenizer-thread.js';
import { field } from '../../../main/core/meter/usage-fields.js';

const DELTAS = Array.from({ length: 300 }, (_, i) =>
  i % 3 === 0 ? ` token${i}` : i % 3 === 1 ? '、日本語' : ' <|endoftext|> 🧪',
);

describe('tokenizing many texts in one hand-over', () => {
  it('countEach is the sum of each text counted on its own, in one hand-over', () => {
    // Before its encoding has loaded, a thread answers null at once and the caller bounds. A gate
    // that never opens keeps this one from loading at all: the load is not what this checks, and
    // loading two encodings here and two more in this thread for the expected counts is what timed
    // the test out once at load 17–19.
    const cold = createTokenizerThread();
    cold.startWhen(() => new Promise<void>(() => undefined));
    expect(cold.countEach(DELTAS, 'o200k_base')).toBeNull();
    expect(cold.loading()).toEqual([]);
    // The process's thread (loaded by the setup file; that its counts are gpt-tokenizer's is
    // tokenizer-thread.test.ts's job): each text counted alone is the control.
    for (const encoding of ENCODINGS) {
      const alone = DELTAS.reduce((s, t) => s + (tokenizerThread.count(t, encoding) ?? NaN), 0);
      const before = tokenizerThread.handOvers;
      expect(tokenizerThread.countEach(DELTAS, encoding)).toBe(alone);
      expect(tokenizerThread.handOvers - before).toBe(1);
    }
    // More than the shared buffer holds: null, and the caller counts them one by one.
    expect(tokenizerThread.countEach(['x'.repeat(300_000), 'y'.repeat(300_001)], 'o200k_base')).toBeNull();
  });

  it("a stream's deltas: the same estimate as counting each delta, with one hand-over", () => {
    const estimator = new OutputEstimator('openai', (data, add) => add(field(data, 't')));
    for (const d of DELTAS) estimator.add(d, 'gpt-4o-mini');
    const before = tokenizerHandOvers();
    const tokens = estimator.tokens();
    expect(tokenizerHandOvers() - before).toBe(1);
    expect(tokens).toBe(DELTAS.reduce((s, t) => s + countOpenAiTokens(t, 'o200k_base'), 0));
  });
});
