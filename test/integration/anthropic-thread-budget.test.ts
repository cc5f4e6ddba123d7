// Anthropic's Threads (beta; @anthropic-ai/sdk 1.13.0 `BetaMessageThreadParam`): `thread: {type:
// "create"}` has the server hold the conversation under the answer's id, and `{type: "continue",
// previous_message_id}` "resumes from a previous response so only the new turn's messages are
// sent" — the held conversation is read, and billed, as input. Shimmy reserved such a request as
// its new turn alone. Found by red21 (2026-11-29).
// Prices: claude-sonnet-4-5 $3 in / $15 out per 1M up to 200,000 input tokens, its context window
// without the 1M beta (platform.claude.com/docs/en/about-claude/pricing, read 2026-11-29; the same
// in @pydantic/genai-prices' catalog).
import Anthropic from '@anthropic-ai/sdk';
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { harnessOnJsonProvider, messagesAnswer } from '../support/json-provider.js';

/** The thread another process (or Shimmy before a restart) built: 180,000 tokens held. */
const HELD_ELSEWHERE = 180_000;
/** The new turn, "hi": o200k_base's count of the message, the least Claude's could be. */
const TURN = 8;
const FIRST_OUTPUT = 100;

let h!: Harness;
let billedUsd = 0;
/** Tokens each held thread holds, by the id of its latest message. */
const held = new Map<string, number>([['msg_elsewhere', HELD_ELSEWHERE]]);

harnessOnJsonProvider(
  ['anthropic'],
  (started) => (h = started),
  (_, b) => {
    const thread = b.thread as { type: string; previous_message_id?: string } | undefined;
    const before = thread?.type === 'continue' ? (held.get(thread.previous_message_id!) ?? 0) : 0;
    const input = before + TURN;
    const output = Math.min(Number(b.max_tokens), FIRST_OUTPUT);
    billedUsd += input * 3e-6 + output * 15e-6;
    const id = `msg_${held.size}`;
    held.set(id, input + output);
    return messagesAnswer({ id, stop_reason: 'end_turn', input, outputTokens: output });
  },
);

const client = (token: string) => new Anthropic({ baseURL: h.core.url, apiKey: token, maxRetries: 0 });
const ask = (token: string, thread: Anthropic.Beta.BetaMessageThreadParam) =>
  client(token)
    .beta.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      thread,
      messages: [{ role: 'user', content: 'hi' }],
    })
    .then(
      (m) => ({ status: 200, id: m.id }),
      (e: { status?: number }) => ({ status: e.status, id: undefined }),
    );

it('a continued thread of 180,000 tokens Shimmy did not relay, on a $0.10/day budget', async () => {
  const token = await h.tool('thread-elsewhere', { dailyUsd: 0.1 });
  const before = billedUsd;
  // Reserved as "hi": 8 × 3e-6 + 4,096 × 15e-6 ≈ $0.0615, which fits; billed 180,008 × 3e-6 +
  // 100 × 15e-6 = $0.541524. At the context window, 200,000 × 3e-6 = $0.60 does not fit.
  const { status } = await ask(token, { type: 'continue', previous_message_id: 'msg_elsewhere' });
  const billed = billedUsd - before;
  expect(billed, `budget $0.1, billed $${billed}, recorded $${await h.spentBy('thread-elsewhere')}`).toBe(0);
  expect(status).toBe(429);
});

it('a thread Shimmy relayed is continued at what it holds, on a $0.10/day budget', async () => {
  const token = await h.tool('thread-here', { dailyUsd: 0.1 });
  const first = await ask(token, { type: 'create' });
  expect(first.status).toBe(200);
  // Holds 8 + 100 tokens: reserved at 116 + 4,096 × 15e-6 ≈ $0.0618 on what the first left
  // ($0.1 − $0.001524): admitted, and billed 116 × 3e-6 + 100 × 15e-6 = $0.001848.
  const next = await ask(token, { type: 'continue', previous_message_id: first.id! });
  expect(next.status).toBe(200);
  expect(await h.spentBy('thread-here')).toBeCloseTo(0.001524 + 0.001848, 9);
});
