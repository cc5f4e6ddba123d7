// A tool's TPM counts each request in the sliding minute from its start: at admission with its
// input and output estimate (4,096 output tokens when it names no limit), replaced by the actual
// count when it settles. An answer that takes longer than the minute settles after its entry has
// left the window: before the fix its count was dropped (limits/rate-window.ts, and the Redis
// engine's SETTLE script), so the tokens it used were never counted at all. A tool with a TPM of
// 10,000 whose answers each stream for just over a minute got ~50,000 tokens through per answer,
// and its window never showed them (found by red14, 2026-11-29; kept as it.fails until tpm15).
//
// Now what an answer used beyond the estimate its entry held counts from its settle, for the
// minute after, as a token-only entry: TPM sees it, RPM does not (the request was counted once,
// at its start). The same case runs against both engines: in memory and on a real Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHarness, ENGINES } from '../support/engine-harness.js';
import type { Harness } from '../support/harness.js';
import {
  chatAnswer,
  chatChunk,
  chatUsageChunk,
  pause,
  sseAnswer,
  startJsonProvider,
  type JsonProvider,
} from '../support/json-provider.js';
import { redisMissing } from '../support/redis.js';

let provider: JsonProvider;
let clock = Date.now();
/** Ends the stream the provider is holding open. */
let finish: (() => void) | undefined;
const OUTPUT = 50_000;

beforeAll(async () => {
  provider = await startJsonProvider((_, body) =>
    body.stream
      ? sseAnswer([
          chatChunk('gpt-4o-mini', { role: 'assistant', content: '' }),
          pause(new Promise<void>((r) => (finish = r))),
          chatChunk('gpt-4o-mini', { content: 'word '.repeat(200) }),
          chatChunk('gpt-4o-mini', {}, 'stop'),
          chatUsageChunk('gpt-4o-mini', 8, OUTPUT),
        ])
      : chatAnswer({ id: 'c1', model: 'gpt-4o-mini', finish_reason: 'stop', input: 8, outputTokens: 1 }),
  );
});
afterAll(() => provider.close());

describe.each(ENGINES)('limits in %s', (_, shared) => {
  let h: Harness;
  engineHarness(
    shared,
    {
      now: () => new Date(clock),
      openaiUrl: () => provider.url,
    },
    (x) => (h = x),
  );

  const chat = (token: string, stream: boolean) =>
    fetch(`${h.core.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'hi' }] }),
    });

  /** Starts a streamed answer, moves the clock on by `ms` while it writes, then lets it end. */
  const longAnswer = async (tool: string, token: string, ms: number) => {
    const long = await chat(token, true);
    expect(long.status).toBe(200);
    const reader = long.body!.getReader();
    await reader.read(); // the stream has begun
    clock += ms; // it is still writing
    finish!();
    while (!(await reader.read()).done);
    const recorded = async () => (await h.records(tool))[0]?.usage.outputTokens;
    await expect.poll(recorded).toBe(OUTPUT);
  };

  it.skipIf(shared && redisMissing)(
    'an answer of 50,000 tokens that streams for 61 s counts against a 10,000 TPM, and not for RPM',
    async () => {
      const token = await h.tool(`slow-writer-${_}`, { tpm: 10_000, rpm: 2 });
      await longAnswer(`slow-writer-${_}`, token, 61_000);
      // 50,000 tokens in the minute that just ended: the next request must wait. Before: 200.
      const next = await chat(token, false);
      await next.text();
      expect(next.status, 'a request right after 50,000 tokens on a 10,000 TPM').toBe(429);
      expect(next.headers.get('x-ratelimit-remaining-tokens')).toBe('0');
      // The late tokens are no request: RPM still has room for the second of 2 (the first left).
      expect(next.headers.get('x-ratelimit-remaining-requests')).toBe('2');
      // They count for the minute after the answer ended, then no longer.
      expect(next.headers.get('x-ratelimit-reset-tokens')).toBe('1m0s');
      expect(next.headers.get('retry-after-ms')).toBe('60000');
      clock += 60_000;
      const later = await chat(token, false);
      await later.text();
      expect(later.status).toBe(200);
    },
  );

  it.skipIf(shared && redisMissing)(
    'an answer of 50,000 tokens that streams for 59 s still counts a second after its start left the minute',
    async () => {
      // Its entry took the actual count at its start's time, so the 50,000 tokens counted for
      // the one second left of that minute: two such answers at a time, each 4,104 tokens at
      // admission, got ~100,000 tokens a minute through a 10,000 TPM. Before: 200.
      const token = await h.tool(`just-in-time-${_}`, { tpm: 10_000 });
      await longAnswer(`just-in-time-${_}`, token, 59_000);
      clock += 1_500;
      const next = await chat(token, false);
      await next.text();
      expect(next.status, 'a request 1.5 s after 50,000 tokens on a 10,000 TPM').toBe(429);
      expect(next.headers.get('x-ratelimit-remaining-tokens')).toBe('0');
      // What went past the estimate counts from the answer's end: 58.5 s more.
      expect(next.headers.get('x-ratelimit-reset-tokens')).toBe('58.5s');
      expect(next.headers.get('retry-after-ms')).toBe('58500');
    },
  );
});
