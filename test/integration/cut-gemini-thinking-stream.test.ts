// Gemini 2.5 and 3 think before they answer, by default, on the native API as on its OpenAI-compatible
// one. The native stream (`:streamGenerateContent?alt=sse`) carries its cumulative usage, thoughts
// included, in every chunk — but its first chunk comes only after the thinking: a client that
// leaves once the answer's headers are out, before that chunk, was charged the stream's running
// estimate, its input alone, while the provider billed the thinking it had already generated. A
// hostile tool leaving every stream there spent ~4× its budget and recorded a thousandth of a cent
// per request (found by red15, 2026-11-29; the leftover named in hidden-output.ts). Such a cut is
// charged what its reservation held, as a cut OpenAI reasoning stream is; a stream cut after its
// usage came keeps that usage.
// Price: gemini-2.5-pro $1.25 in / $10 out (thinking included) per 1M tokens up to 200K input
// (ai.google.dev/gemini-api/docs/pricing#gemini-2.5-pro, read 2026-11-29; the bundled
// @pydantic/genai-prices entry).
import { expect, it } from 'vitest';
import { roundUsd } from '../../shared/money.js';
import type { Harness } from '../support/harness.js';
import { harnessOnJsonProvider, pause, piecesAnswer } from '../support/json-provider.js';
import { leaveAt, tenTimes } from '../support/leave-early.js';

/** Thinking tokens generated before the first chunk (at most the thinking budget). */
const THINKING = 1_900;
const INPUT = 8;

let h: Harness;
/** USD the provider billed: input and the thinking it generated before the client left. */
let billedUsd = 0;

const usage = (thoughts: number, candidates: number) => ({
  promptTokenCount: INPUT,
  candidatesTokenCount: candidates,
  thoughtsTokenCount: thoughts,
  totalTokenCount: INPUT + thoughts + candidates,
});

harnessOnJsonProvider(
  ['google'],
  (x) => (h = x),
  (_, b) => {
    const body = b as {
      generationConfig?: { maxOutputTokens?: number; thinkingConfig?: { thinkingBudget?: number } };
    };
    const g = body.generationConfig ?? {};
    const thinking = Math.min(
      THINKING,
      g.thinkingConfig?.thinkingBudget ?? THINKING,
      (g.maxOutputTokens ?? Infinity) - 1,
    );
    // Headers go at once; the first chunk only after the thinking.
    return piecesAnswer(
      'text/event-stream',
      [
        // 8 × 1.25e-6 + 1,900 × 10e-6 = $0.01901
        pause(50, () => (billedUsd += INPUT * 1.25e-6 + thinking * 10e-6)),
        () => {
          const chunk = {
            candidates: [{ content: { role: 'model', parts: [{ text: 'Hello' }] }, index: 0 }],
            usageMetadata: usage(thinking, 1),
            modelVersion: 'gemini-2.5-pro',
          };
          billedUsd += 1 * 10e-6;
          return `data: ${JSON.stringify(chunk)}\r\n\r\n`;
        },
      ],
      { open: true },
    );
  },
);

const recordsOf = async (tool: string) =>
  (await h.admin.call('listRequests', { query: { tool, limit: '100' } })).records;

/** One stream, left once its headers are out (before its first chunk, when `at` is 'headers'),
 *  else at its first word; the status Shimmy answered. */
const leave = (token: string, at: 'headers' | 'first-word'): Promise<number> =>
  leaveAt(
    h,
    '/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse',
    { 'x-goog-api-key': token },
    { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { maxOutputTokens: 2_000 } },
    at === 'first-word' ? ['Hello'] : [],
  );

const leaveTenTimes = (tool: string, token: string, at: 'headers' | 'first-word') =>
  tenTimes(h, tool, () => leave(token, at));

it('gemini-2.5-pro native streams left before their first chunk, on a $0.05/day budget', async () => {
  const token = await h.tool('leaves-gemini', { dailyUsd: 0.05 });
  const before = billedUsd;
  // Each reserved ≥ 2,000 × 10e-6 = $0.02: two fit in $0.05, a third does not.
  const statuses = await leaveTenTimes('leaves-gemini', token, 'headers');
  // The provider's timers of the last requests have run.
  await new Promise((r) => setTimeout(r, 100));
  // In the ledger's unit (1e-10 USD): admissions that fill the budget exactly sum, in floats, to
  // $0.05000000000000002 (seen 2 runs in 4 under load, 2026-11-29).
  const billed = roundUsd(billedUsd - before);
  const spent = await h.spentBy('leaves-gemini');
  // Before: 10 admitted, billed 10 × $0.01901 = $0.19 on the $0.05 budget, recorded $0.0001.
  const figures = `provider billed $${billed.toFixed(5)} on a $0.05 budget, Shimmy recorded $${spent}`;
  expect(billed, figures).toBeLessThanOrEqual(0.05);
  expect(spent, figures).toBeGreaterThanOrEqual(billed);
  expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
});

it('a native stream left after its first chunk keeps the usage that chunk reported', async () => {
  const token = await h.tool('leaves-gemini-late', { dailyUsd: 1 });
  const before = billedUsd;
  await leave(token, 'first-word');
  await expect.poll(async () => (await recordsOf('leaves-gemini-late')).length).toBe(1);
  const billed = billedUsd - before;
  // 8 × 1.25e-6 + (1,900 + 1) × 10e-6 = $0.01902: what the chunk said, not the $0.02 reserved.
  expect(await h.spentBy('leaves-gemini-late')).toBeCloseTo(billed, 8);
});
