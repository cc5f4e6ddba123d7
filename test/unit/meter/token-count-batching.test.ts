// A stream's output deltas are tokenized hundreds at a time: each hand-over to the tokenizer thread
// is a wait on the event loop (a futex wake of the thread and one back), which on a busy machine
// cost more than relaying the delta — 400 hand-overs for a 400-delta answer before.
import { describe, expect, it } from 'vitest';
import { OutputEstimator } from '../../../main/core/meter/output-estimate.js';
import { countOpenAiTokens, tokenizerHandOvers } from '../../../main/core/meter/token-count.js';
import { createTokenizerThread } from '../../../main/core/meter/tokenizer-thread.js';
import { field } from '../../../main/core/meter/usage-fields.js';

const plain = { disallowedSpecial: new Set<string>() };
const DELTAS = Array.from({ length: 300 }, (_, i) =>
  i % 3 === 0 ? ` token${i}` : i % 3 === 1 ? '、日本語' : ' <|endoftext|> 🧪',
);

describe('tokenizing many texts in one hand-over', () => {
  it('countEach is the sum of each text counted on its own, in one hand-over', async () => {
    const thread = createTokenizerThread();
    expect(thread.countEach(DELTAS, 'o200k_base')).toBeNull(); // loading: the caller bounds
    await thread.start();
    const o200k = await import('gpt-tokenizer/encoding/o200k_base');
    const cl100k = await import('gpt-tokenizer/encoding/cl100k_base');
    const before = thread.handOvers;
    expect(thread.countEach(DELTAS, 'o200k_base')).toBe(
      DELTAS.reduce((s, t) => s + o200k.countTokens(t, plain), 0),
    );
    expect(thread.countEach(DELTAS, 'cl100k_base')).toBe(
      DELTAS.reduce((s, t) => s + cl100k.countTokens(t, plain), 0),
    );
    expect(thread.handOvers - before).toBe(2);
    // More than the shared buffer holds: null, and the caller counts them one by one.
    expect(thread.countEach(['x'.repeat(300_000), 'y'.repeat(300_001)], 'o200k_base')).toBeNull();
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
