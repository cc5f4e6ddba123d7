// x-ratelimit-reset-tokens says when the tokens remaining will grow: when the oldest entry that
// holds tokens leaves the minute. A request the provider refused (a 500 without usage) keeps its
// place for RPM but holds no tokens; the Redis engine told the time of the oldest request all the
// same, so an SDK waited too little and was refused again (tpm15, 2026-11-29). Both engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHarness, ENGINES } from '../support/engine-harness.js';
import type { Harness } from '../support/harness.js';
import { chatAnswer, startJsonProvider, statusAnswer, type JsonProvider } from '../support/json-provider.js';
import { redisMissing } from '../support/redis.js';

let provider: JsonProvider;
let clock = Date.parse('2026-11-29T10:00:00.000Z');

beforeAll(async () => {
  provider = await startJsonProvider((_, __, ___, headers) =>
    headers['x-test-fail']
      ? statusAnswer(500, { error: { message: 'overloaded', type: 'server_error' } })
      : chatAnswer({ id: 'c1', model: 'gpt-4o-mini', finish_reason: 'stop', input: 8, outputTokens: 992 }),
  );
});
afterAll(() => provider.close());

describe.each(ENGINES)('limits in %s', (kind, shared) => {
  let h: Harness;
  engineHarness(
    shared,
    {
      now: () => new Date(clock),
      openaiUrl: () => provider.url,
    },
    (x) => (h = x),
  );

  const chat = async (token: string, fail = false) => {
    const res = await fetch(`${h.core.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(fail ? { 'x-test-fail': '1' } : {}),
      },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        max_completion_tokens: 1_000,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    await res.text();
    return res;
  };

  it.skipIf(shared && redisMissing)(
    'reset-tokens names the oldest entry holding tokens, not a refused request holding none',
    async () => {
      const token = await h.tool(`reset-${kind}`, { tpm: 1_500, rpm: 100 });
      expect((await chat(token, true)).status).toBe(500); // its entry settles at 0 tokens
      clock += 10_000;
      expect((await chat(token)).status).toBe(200); // 1,000 tokens until 60 s from now
      clock += 10_000;
      const refused = await chat(token);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('x-ratelimit-remaining-tokens')).toBe('500');
      // The 1,000 tokens leave in 50 s; the refused request's place, in 40 s, frees none. Before
      // (Redis): 40s.
      expect(refused.headers.get('x-ratelimit-reset-tokens')).toBe('50s');
      expect(refused.headers.get('x-ratelimit-reset-requests')).toBe('40s');
      expect(refused.headers.get('retry-after-ms')).toBe('50000');
    },
  );
});
