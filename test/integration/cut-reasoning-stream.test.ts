// A reasoning model thinks before it writes, and its thinking never shows in the stream (OpenAI's
// reasoning tokens; Anthropic's Claude 4 thinking, streamed only as a summary while the full thinking
// is billed): once its first word arrives, the thinking behind it has been generated and billed. A
// client that leaves then was charged the stream's running estimate — its input and the few words
// it saw — so a hostile tool that leaves every stream at its first word spent 4–6× its budget
// while its recorded spend stayed under a tenth of a cent (found by red14, 2026-11-29). Such a cut stream is charged what
// its reservation held, as an answer left unread is. So is a plain (not streamed) answer left after
// its first bytes: it was whole, and billed whole, before they went out.
// Prices: gpt-5 $1.25 in / $10 out per 1M tokens, gpt-4o-mini $0.15 / $0.60; claude-sonnet-4-5
// $3 in / $15 out per 1M (openai.com/api/pricing and docs.claude.com/en/docs/about-claude/pricing,
// read 2026-11-29).
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import {
  chatChunk,
  harnessOnJsonProvider,
  pause,
  piecesAnswer,
  sseAnswer,
} from '../support/json-provider.js';
import { leaveAt, tenTimes } from '../support/leave-early.js';

/** Thinking tokens the provider generates before the first word of each answer (at most). */
const THINKING = 1_900;
const INPUT = 8;

let h: Harness;
/** USD the provider billed: input, the thinking and each word it sent before the client left. */
let billedUsd = 0;

harnessOnJsonProvider(
  ['openai', 'anthropic'],
  (x) => (h = x),
  (path, b, _, headers) => {
    // It thinks up to the output limit it was sent (Shimmy may have lowered it), less one word.
    const body = b as { max_tokens?: number; max_completion_tokens?: number };
    const thinking = Math.min(THINKING, (body.max_completion_tokens ?? body.max_tokens ?? Infinity) - 1);
    if (headers['x-test-answer'] === 'json') {
      // A plain answer is whole before its first byte goes out: all of it is billed. It leaves
      // in pieces (a big answer takes several reads), and the client leaves after the first.
      // 8 × 0.15e-6 + 1,000 × 0.60e-6 = $0.0006012
      billedUsd += INPUT * 0.15e-6 + 1_000 * 0.6e-6;
      const text = 'word '.repeat(1_000);
      return piecesAnswer('application/json', [
        '{"id":"chatcmpl-2","object":"chat.completion","created":1,"model":"gpt-4o-mini",',
        pause(300),
        `"choices":[{"index":0,"message":{"role":"assistant","content":"${text}"},"finish_reason":"length"}],` +
          `"usage":{"prompt_tokens":${INPUT},"completion_tokens":1000,"total_tokens":${INPUT + 1_000}}}`,
      ]);
    }
    // It thinks, then starts its answer, and would go on writing until the client left.
    if (path.endsWith('/chat/completions')) {
      const chunk = (delta: Record<string, unknown>) => ({
        ...chatChunk('gpt-5-2025-08-07', delta),
        service_tier: 'default',
      });
      return sseAnswer(
        [
          chunk({ role: 'assistant', content: '' }),
          // 8 × 1.25e-6 + (1,900 + 1) × 10e-6 = $0.01902
          pause(20, () => (billedUsd += INPUT * 1.25e-6 + (thinking + 1) * 10e-6)),
          chunk({ content: 'Hello' }),
        ],
        { open: true },
      );
    }
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [],
      stop_reason: null,
      usage: { input_tokens: INPUT, output_tokens: 1 },
    };
    return sseAnswer(
      [
        { type: 'message_start', message },
        { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
        // The summary of 1,900 tokens of thinking is a few words; the thinking is billed in full:
        // 8 × 3e-6 + (1,900 + 1) × 15e-6 = $0.028539
        pause(20, () => (billedUsd += INPUT * 3e-6 + (thinking + 1) * 15e-6)),
        { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Hm.' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Hello' } },
      ],
      { named: true, open: true },
    );
  },
);

/** Sends one request and leaves at the answer's first word (a plain answer: at its first bytes);
 *  the status Shimmy answered. */
const leaveAtFirstWord = (path: string, headers: Record<string, string>, body: unknown) =>
  leaveAt(h, path, headers, body, ['Hello', 'chatcmpl-2']);

it('gpt-5 streams left at their first word, on a $0.05/day budget', async () => {
  const token = await h.tool('leaves-gpt5', { dailyUsd: 0.05 });
  const before = billedUsd;
  // Each reserved 8 × 1.25e-6 + 2,000 × 10e-6 ≈ $0.02: two fit in $0.05, a third does not.
  const statuses = await tenTimes(h, 'leaves-gpt5', () =>
    leaveAtFirstWord(
      '/v1/chat/completions',
      { authorization: `Bearer ${token}` },
      {
        model: 'gpt-5',
        stream: true,
        service_tier: 'default',
        max_completion_tokens: 2_000,
        messages: [{ role: 'user', content: 'hi' }],
      },
    ),
  );
  const billed = billedUsd - before;
  const spent = await h.spentBy('leaves-gpt5');
  // Before: 10 admitted, billed 10 × $0.01902 = $0.19 on the $0.05 budget, recorded ~$0.0001.
  const figures = `provider billed $${billed.toFixed(5)} on a $0.05 budget, Shimmy recorded $${spent}`;
  expect(billed, figures).toBeLessThanOrEqual(0.05);
  expect(spent, figures).toBeGreaterThanOrEqual(billed);
  expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
});

it('Claude with extended thinking, streams left at their first word, on a $0.05/day budget', async () => {
  const token = await h.tool('leaves-claude', { dailyUsd: 0.05 });
  const before = billedUsd;
  // Each reserved ≥ 2,000 × 15e-6 = $0.03: one fits in $0.05, a second does not.
  const statuses = await tenTimes(h, 'leaves-claude', () =>
    leaveAtFirstWord(
      '/v1/messages',
      { 'x-api-key': token, 'anthropic-version': '2023-06-01' },
      {
        model: 'claude-sonnet-4-5',
        stream: true,
        max_tokens: 2_000,
        thinking: { type: 'enabled', budget_tokens: 1_900 },
        messages: [{ role: 'user', content: 'hi' }],
      },
    ),
  );
  const billed = billedUsd - before;
  const spent = await h.spentBy('leaves-claude');
  // Before: 10 admitted, billed 10 × $0.028539 = $0.285 on the $0.05 budget, recorded ~$0.0006.
  const figures = `provider billed $${billed.toFixed(5)} on a $0.05 budget, Shimmy recorded $${spent}`;
  expect(billed, figures).toBeLessThanOrEqual(0.05);
  expect(spent, figures).toBeGreaterThanOrEqual(billed);
  expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
});

it('a plain (not streamed) answer left after its first bytes, on a $0.001/day budget', async () => {
  const token = await h.tool('leaves-json', { dailyUsd: 0.001 });
  const before = billedUsd;
  // Each reserved 1,000 × 0.60e-6 = $0.0006 of output at least: one fits in $0.001, two do not.
  const statuses = await tenTimes(h, 'leaves-json', () =>
    leaveAtFirstWord(
      '/v1/chat/completions',
      { authorization: `Bearer ${token}`, 'x-test-answer': 'json' },
      {
        model: 'gpt-4o-mini',
        service_tier: 'default',
        max_tokens: 1_000,
        messages: [{ role: 'user', content: 'hi' }],
      },
    ),
  );
  const billed = billedUsd - before;
  const spent = await h.spentBy('leaves-json');
  // Before: 10 admitted, billed 10 × $0.0006012 = $0.006 on the $0.001 budget, recorded ~$0.00002.
  const figures = `provider billed $${billed.toFixed(7)} on a $0.001 budget, Shimmy recorded $${spent}`;
  expect(billed, figures).toBeLessThanOrEqual(0.001);
  expect(spent, figures).toBeGreaterThanOrEqual(billed);
  expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
});
