// x-ratelimit-reset-tokens says when the tokens remaining will grow: when the oldest entry that
// holds tokens leaves the minute. A request the provider refused (a 500 without usage) keeps its
// place for RPM but holds no tokens; the Redis engine told the time of the oldest request all the
// same, so an SDK waited too little and was refused again (tpm15, 2026-11-29). Both engines.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHarness, ENGINES } from '../support/engine-harness.js';
import type { Harness } from '../support/harness.js';
import { redisMissing } from '../support/redis.js';

let provider: http.Server;
let clock = Date.parse('2026-11-29T10:00:00.000Z');

beforeAll(async () => {
  provider = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.headers['x-test-fail']) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'c1',
          object: 'chat.completion',
          created: 1,
          model: 'gpt-4o-mini',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 8, completion_tokens: 992, total_tokens: 1_000 },
        }),
      );
    });
  });
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  provider.closeAllConnections();
  await new Promise((r) => provider.close(r));
});

describe.each(ENGINES)('limits in %s', (kind, shared) => {
  let h: Harness;
  engineHarness(
    shared,
    {
      now: () => new Date(clock),
      openaiUrl: () => `http://127.0.0.1:${(provider.address() as AddressInfo).port}`,
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
