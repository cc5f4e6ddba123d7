// Anthropic's advisor tool (`advisor_20260301`, @anthropic-ai/sdk 1.13.0 `BetaAdvisorTool20260301`)
// lets the model consult another model, the tool's own `model`, which reads the conversation and
// writes advice (up to the tool's `max_tokens`, else that model's own cap) as often as `max_uses`
// allows, or without bound when it names none. Each consultation is billed at the advisor model's
// rates and reported only as an `advisor_message` entry of `usage.iterations`, outside the
// top-level counts (the SDK's `BetaIterationsUsage`; a `compaction` entry is documented as left out
// of them, and the top level names one model). Shimmy reserved and recorded the worker's tokens
// alone. Like code execution (anthropic-code-execution-budget.test.ts), such a request is refused
// to a budgeted tool (403 unpriced_endpoint) and recorded unpriced for the others.
// Found by red21 (2026-11-29).
// Prices: claude-sonnet-4-5 $3 in / $15 out per 1M, claude-opus-4-1 $15 / $75
// (platform.claude.com/docs/en/about-claude/pricing, read 2026-11-29; the same in the catalog).
import Anthropic from '@anthropic-ai/sdk';
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { onlyRecordedCost } from '../support/recorded-cost.js';
import { harnessOnJsonProvider, messagesAnswer } from '../support/json-provider.js';

/** 20,000 tokens of o200k_base ("hello" then 19,999 × " hello"); with the message's framing the
 *  provider counts 20,010, the least Claude's tokenizer could say. */
const TEXT = 'hello' + ' hello'.repeat(19_999);
const INPUT = 20_010;
const OUTPUT = 500;
/** Consultations the worker makes, each reading the conversation and writing 2,000 tokens. */
const CONSULTATIONS = 3;
const ADVICE = 2_000;

let h!: Harness;
let billedUsd = 0;

harnessOnJsonProvider(
  ['anthropic'],
  (x) => (h = x),
  (_, b) => {
    const advises = JSON.stringify(b.tools ?? []).includes('"advisor_20260301"');
    const consultations = advises ? CONSULTATIONS : 0;
    // Worker 20,010 × 3e-6 + 500 × 15e-6 = $0.06753; each consultation 20,010 × 15e-6 + 2,000 ×
    // 75e-6 = $0.45015: $1.41798 in all.
    billedUsd += INPUT * 3e-6 + OUTPUT * 15e-6 + consultations * (INPUT * 15e-6 + ADVICE * 75e-6);
    const answer = messagesAnswer({
      id: 'msg_adv',
      stop_reason: 'end_turn',
      input: INPUT,
      outputTokens: OUTPUT,
      iterations: Array.from({ length: consultations }, () => ({
        type: 'advisor_message',
        model: 'claude-opus-4-1-20250805',
        input_tokens: INPUT,
        output_tokens: ADVICE,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      })),
    });
    return answer;
  },
);

const ask = (token: string) =>
  new Anthropic({ baseURL: h.core.url, apiKey: token, maxRetries: 0 }).beta.messages
    .create({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      tools: [{ type: 'advisor_20260301', name: 'advisor', model: 'claude-opus-4-1' }],
      messages: [{ role: 'user', content: TEXT }],
    })
    .then(
      () => 200,
      (e: { status?: number }) => e.status,
    );

it('a Sonnet 4.5 request consulting Opus 4.1 as its advisor, on a $0.50/day budget', async () => {
  // Reserved at the worker alone, 20,010 × 3e-6 + 4,096 × 15e-6 ≈ $0.12: admitted; billed
  // $1.41798, recorded $0.06753.
  const token = await h.tool('advised', { dailyUsd: 0.5 });
  const before = billedUsd;
  const status = await ask(token);
  const billed = billedUsd - before;
  expect(billed, `budget $0.5, billed $${billed}, recorded $${await h.spentBy('advised')}`).toBe(0);
  expect(status).toBe(403);
});

it('without a budget it goes out, recorded unpriced rather than at the worker tokens alone', async () => {
  const token = await h.tool('advised-free');
  expect(await ask(token)).toBe(200);
  expect(await onlyRecordedCost(h, 'advised-free')).toBeNull();
});
