// A Gemini stream asked for two candidates (generationConfig.candidateCount) carries both in its
// chunks, each with its own finishReason, and cumulative usageMetadata over both
// (`candidatesTokenCount`: "total number of tokens across all the generated response candidates",
// ai.google.dev/api/generate-content#UsageMetadata, read 2026-11-29). The reader took the first
// finishReason for the end of the answer: its usage stayed at that chunk's, final, while the other
// candidate went on. A stream cut after that (the client leaves) was recorded at the first
// candidate's tokens, though the provider billed, and Shimmy had relayed, the second's as well.
// Price: gemini-2.5-flash $0.30 in / $2.50 out per 1M tokens (ai.google.dev/gemini-api/docs/pricing,
// read 2026-11-29).
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { harnessOnJsonProvider, pause, piecesAnswer } from '../support/json-provider.js';
import { leaveAt } from '../support/leave-early.js';

const INPUT = 10;
let h: Harness;
let billedUsd = 0;

const usage = (candidates: number) => ({
  promptTokenCount: INPUT,
  candidatesTokenCount: candidates,
  totalTokenCount: INPUT + candidates,
});
const event = (o: unknown) => `data: ${JSON.stringify(o)}\r\n\r\n`;

harnessOnJsonProvider(
  ['google'],
  (x) => (h = x),
  () => {
    // Candidate 0 ends at once (3 tokens); candidate 1 writes 100 chunks of 40 tokens, then the
    // mark, then nothing until the client leaves. Billed: 10 × 0.30e-6 + 4,003 × 2.50e-6 =
    // $0.0100105.
    const first = event({
      candidates: [
        { index: 0, content: { role: 'model', parts: [{ text: 'Hi.' }] }, finishReason: 'STOP' },
        { index: 1, content: { role: 'model', parts: [{ text: 'Once' }] } },
      ],
      usageMetadata: usage(3),
      modelVersion: 'gemini-2.5-flash',
    });
    const more = Array.from({ length: 100 }, (_, i) =>
      event({
        candidates: [
          {
            index: 1,
            content: { role: 'model', parts: [{ text: ' upon a time, a story went on.'.repeat(5) }] },
          },
        ],
        usageMetadata: usage(3 + 40 * (i + 1)),
        modelVersion: 'gemini-2.5-flash',
      }),
    );
    const mark = event({
      candidates: [{ index: 1, content: { role: 'model', parts: [{ text: ' MARK' }] } }],
      usageMetadata: usage(4003),
      modelVersion: 'gemini-2.5-flash',
    });
    billedUsd += INPUT * 0.3e-6 + 4003 * 2.5e-6;
    return piecesAnswer('text/event-stream', [first, ...more, mark, pause(60_000)], { open: true });
  },
);

it('a two-candidate stream cut after the first candidate ended is recorded at what both wrote', async () => {
  // Before: recorded 10 × 0.30e-6 + 3 × 2.50e-6 = $0.0000105 of the $0.0100105 billed.
  const token = await h.tool('two-candidates');
  const before = billedUsd;
  await leaveAt(
    h,
    '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    { 'x-goog-api-key': token },
    {
      contents: [{ role: 'user', parts: [{ text: 'Tell me a story.' }] }],
      generationConfig: { candidateCount: 2, maxOutputTokens: 5000 },
    },
    ['MARK'],
  );
  const billed = billedUsd - before;
  await expect.poll(() => h.spentBy('two-candidates')).toBeGreaterThan(0);
  const spent = await h.spentBy('two-candidates');
  expect(spent, `provider billed $${billed.toFixed(7)}, Shimmy recorded $${spent}`).toBeGreaterThanOrEqual(
    Number(billed.toFixed(7)),
  );
});
