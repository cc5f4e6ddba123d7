// TPM and an answer Shimmy did not read in full. The provider generated (and bills) a plain answer
// whole before its first byte went out, and a reasoning model's thinking before its first word:
// a client that leaves then is charged, in USD, what its reservation held (charge-unread.ts,
// cut-reasoning-stream.test.ts). Its TPM entry, though, settles at the tokens the meter saw —
// the input and a word or none — so the estimate it held leaves the window at once, and a tool
// that leaves every answer early gets any number of whole answers through its TPM (tpm15,
// 2026-11-29: ten admitted in one minute on a 2,500 TPM, 10,080 tokens generated). Now an answer
// charged as unread settles its TPM entry at no less than its estimate (charge-unread.ts says
// which, settle.ts passes it on).
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

const INPUT = 8;
const OUTPUT = 1_000;
let h: Harness;
/** Tokens the provider generated for the requests that reached it. */
let generated = 0;
// The clock stands still: every request below falls in one minute.
const clock = Date.now();

harnessOnJsonProvider(
  ['openai'],
  (x) => (h = x),
  (_, body) => {
    generated += INPUT + OUTPUT;
    if (!body.stream)
      // Whole before its first byte goes out; it leaves in two pieces, the client after the first.
      return piecesAnswer('application/json', [
        '{"id":"chatcmpl-2","object":"chat.completion","created":1,"model":"gpt-4o-mini",',
        pause(300),
        `"choices":[{"index":0,"message":{"role":"assistant","content":"${'word '.repeat(OUTPUT)}"},"finish_reason":"length"}],` +
          `"usage":{"prompt_tokens":${INPUT},"completion_tokens":${OUTPUT},"total_tokens":${INPUT + OUTPUT}}}`,
      ]);
    // A reasoning model: it thinks OUTPUT - 1 tokens unseen, then writes its first word.
    return sseAnswer(
      [
        chatChunk('gpt-5-2025-08-07', { role: 'assistant', content: '' }),
        pause(20),
        chatChunk('gpt-5-2025-08-07', { content: 'Hello' }),
      ],
      { open: true },
    );
  },
  { core: { now: () => new Date(clock) } },
);

/** Sends one request and leaves at the answer's first word (a plain answer: its first bytes). */
const leaveEarly = (token: string, body: Record<string, unknown>): Promise<number> =>
  leaveAt(
    h,
    '/v1/chat/completions',
    { authorization: `Bearer ${token}` },
    { ...body, max_completion_tokens: OUTPUT, messages: [{ role: 'user', content: 'hi' }] },
    ['Hello', 'chatcmpl-2'],
  );

for (const [kind, body] of [
  ['a plain answer left at its first bytes', { model: 'gpt-4o-mini' }],
  ['a gpt-5 stream left at its first word', { model: 'gpt-5', stream: true }],
] as const) {
  it(`${kind}: ten of them in one minute on a 2,500 TPM`, async () => {
    const tool = `leaves-${body.model}`;
    const token = await h.tool(tool, { tpm: 2_500 });
    const before = generated;
    const statuses = await tenTimes(h, tool, () => leaveEarly(token, body));
    // Each held ~1,008 tokens at admission: two fit in 2,500, a third does not. Before: ten
    // admitted, the provider generated 10,080 tokens in the minute.
    const figures = `the provider generated ${generated - before} tokens on a 2,500 TPM; statuses ${statuses.join(',')}`;
    expect(generated - before, figures).toBeLessThanOrEqual(2_500);
    expect(statuses.filter((s) => s === 429).length, figures).toBe(8);
  });
}
