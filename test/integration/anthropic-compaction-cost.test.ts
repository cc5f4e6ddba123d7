// Anthropic's server-side compaction (`context_management.edits` with `compact_20260112`; beta,
// @anthropic-ai/sdk 1.13.0): once a request's context passes the trigger (150,000 input tokens by
// default) the server first runs a compaction request that summarizes it, then answers from the
// summary. The compaction's tokens come only as a `compaction` entry of `usage.iterations`: "A
// `compaction` entry's tokens are not included in the top-level `usage` fields" (the SDK's
// `BetaUsage.iterations`). Read at the top level alone, each such request was recorded at a
// twentieth of its bill, and a budget kept admitting them. Found by red21 (2026-11-29).
// Price: claude-sonnet-4-5 $3 in / $15 out per 1M up to 200,000 input tokens
// (platform.claude.com/docs/en/about-claude/pricing, read 2026-11-29; the same in the catalog).
import Anthropic from '@anthropic-ai/sdk';
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { harnessOnJsonProvider, messagesAnswer } from '../support/json-provider.js';

/** 150,000 tokens of o200k_base in five blocks of 30,000 ("hello" then 29,999 × " hello"), each
 *  short enough to be tokenized: the context that reaches the trigger. The provider counts 150,010
 *  with the message's framing, the least Claude's tokenizer could say. */
const BLOCKS = Array.from({ length: 5 }, () => ({
  type: 'text' as const,
  text: 'hello' + ' hello'.repeat(29_999),
}));
const CONTEXT = 150_010;
/** The compaction's summary, then the answer read from it. */
const SUMMARY = 3_000;
const ANSWER_INPUT = SUMMARY + 1_000;
const ANSWER = 1_000;

let h!: Harness;
let billedUsd = 0;

harnessOnJsonProvider(
  ['anthropic'],
  (x) => (h = x),
  () => {
    // Compaction 150,010 × 3e-6 + 3,000 × 15e-6 = $0.49503; the answer 4,000 × 3e-6 + 1,000 × 15e-6
    // = $0.027: $0.52203 a request.
    billedUsd += CONTEXT * 3e-6 + SUMMARY * 15e-6 + ANSWER_INPUT * 3e-6 + ANSWER * 15e-6;
    return messagesAnswer({
      id: 'msg_compacted',
      stop_reason: 'end_turn',
      input: ANSWER_INPUT,
      outputTokens: ANSWER,
      iterations: [
        {
          type: 'compaction',
          input_tokens: CONTEXT,
          output_tokens: SUMMARY,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
        },
        { type: 'message', input_tokens: ANSWER_INPUT, output_tokens: ANSWER },
      ],
    });
  },
);

it('three compacting requests on a $1/day budget', async () => {
  const token = await h.tool('compacts', { dailyUsd: 1 });
  const client = new Anthropic({ baseURL: h.core.url, apiKey: token, maxRetries: 0 });
  const statuses: Array<number | undefined> = [];
  for (let i = 0; i < 3; i++)
    statuses.push(
      await client.beta.messages
        .create({
          model: 'claude-sonnet-4-5',
          max_tokens: 2_000,
          context_management: { edits: [{ type: 'compact_20260112' }] },
          messages: [{ role: 'user', content: BLOCKS }],
        })
        .then(
          () => 200,
          (e: { status?: number }) => e.status,
        ),
    );
  // Before: each recorded $0.027, all three admitted: billed $1.56609 on $1. Recorded at
  // (150,010 + 4,000) × 3e-6 + (3,000 + 1,000) × 15e-6 = $0.52203, the second no longer fits.
  const recorded = await h.spentBy('compacts');
  const figures = `budget $1, billed $${billedUsd}, recorded $${recorded}, statuses ${statuses.join(',')}`;
  expect(recorded, figures).toBeCloseTo(billedUsd, 9);
  expect(billedUsd, figures).toBeLessThanOrEqual(1);
});
