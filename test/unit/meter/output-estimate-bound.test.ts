// OutputEstimator.tokens(true): the bound a budgeted stream's running cost is checked at on every
// chunk (relay-response.ts). It must cost no parse and no tokenizer hand-over, and never be below
// the exact count, whatever the text: multi-byte letters, emoji, JSON escapes, long deltas.
import { beforeAll, describe, expect, it } from 'vitest';
import { OutputEstimator } from '../../../main/core/meter/output-estimate.js';
import { startTokenizerThread, tokenizerHandOvers } from '../../../main/core/meter/token-count.js';
import { field } from '../../../main/core/meter/usage-fields.js';

beforeAll(() => startTokenizerThread(), 60_000);

// As the meter hands events over: their bytes as latin1 text.
const event = (t: string) => Buffer.from(`data: ${JSON.stringify({ t })}\n\n`).toString('latin1');
const texts = [
  'Hello world, the build failed in step 3.',
  '日本語のテキストです。トークンが多い。',
  '😀🎉🚀 emoji 👩‍👩‍👧',
  'escaped \u00e9\u00e8 "quotes" \\ and \n newlines \t tabs',
  'x'.repeat(3000),
  'Ωμέγα ελληνικά κείμενο',
];

describe('OutputEstimator.tokens(true)', () => {
  for (const family of ['openai', 'anthropic'] as const) {
    it(`${family}: costs no parse and no hand-over, and is never below the exact count`, () => {
      let parsed = 0;
      const estimator = new OutputEstimator(family, (data, add) => {
        parsed++;
        add(field(data, 't'));
      });
      for (const t of texts) {
        // Deltas read at once (significant events) and events kept unparsed, both.
        estimator.add(t, 'gpt-4o');
        estimator.deferEvents(event(t), 'gpt-4o');
        const handOvers = tokenizerHandOvers();
        const before = parsed;
        const bound = estimator.tokens(true);
        expect(parsed).toBe(before);
        expect(tokenizerHandOvers()).toBe(handOvers);
        expect(bound).toBeGreaterThanOrEqual(estimator.tokens());
      }
    });
  }
});
