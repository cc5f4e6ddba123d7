// An output limit written as a string — `max_tokens: "1000000"` — to a server that validates with
// pydantic in lax mode (vLLM and other OpenAI-compatible servers) is read as the number. Shimmy read
// only a JSON number, so such a request named no limit: for a model it does not know it reserved its
// default maximum (128,000) and wrote nothing (input15, 2026-11-29), and a server with a long
// context (vLLM serving a 1M-context model accepts max_tokens up to its max_model_len) wrote to the
// string's bound.
// Prices: qwen2.5-7b-instruct-1m on a self-hosted server has no catalog price; the user sets $1 in /
// $10 out per 1M (as lax-stream-flag.test.ts does).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { startJsonProvider, type JsonProvider } from '../support/json-provider.js';

/** The server's context (vLLM `--max-model-len`): what it lets max_tokens reach. */
const CONTEXT = 1_010_000;

let h: Harness;
let provider: JsonProvider;
let billedUsd = 0;
const sent: unknown[] = [];

/** pydantic's lax int: a JSON integer or a string of digits. */
const laxInt = (v: unknown) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v);

beforeAll(async () => {
  h = await startHarness();
  provider = await startJsonProvider((_, b) => {
    sent.push(b.max_tokens);
    // Writes to its limit (no limit: to the end of its context).
    const limit = laxInt(b.max_tokens);
    const out = Math.min(typeof limit === 'number' ? limit : CONTEXT, CONTEXT - 8);
    billedUsd += 8 * 1e-6 + out * 10e-6;
    return {
      id: 'chatcmpl-l',
      object: 'chat.completion',
      created: 1,
      model: 'qwen2.5-7b-instruct-1m',
      choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'length' }],
      usage: { prompt_tokens: 8, completion_tokens: out, total_tokens: 8 + out },
    };
  });
  await h.admin.call('addProvider', {
    body: { name: 'vllm', kind: 'openai', baseUrl: `${provider.url}/v1` },
  });
  await h.admin.call('putKey', { body: { provider: 'vllm', key: 'sk-test-vllm-key-4444EFGH' } });
  await h.admin.call('putPrice', {
    params: { model: 'qwen2.5-7b-instruct-1m' },
    body: { input: 1, output: 10 },
  });
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

it('max_tokens "1000000" on a $2/day budget is read as 1,000,000 and lowered', async () => {
  // Before: reserved at the default 128,000 output tokens ($1.280008), sent as "1000000", billed
  // 8 × 1e-6 + 1,000,000 × 10e-6 = $10.000008. Read as 1,000,000, it is lowered to what $2 pays
  // for (199,999 tokens: $1.999998) and written as that number.
  const token = await h.tool('lax-limit', { dailyUsd: 2 });
  const before = billedUsd;
  const res = await fetch(`${h.core.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'vllm/qwen2.5-7b-instruct-1m',
      max_tokens: '1000000',
      messages: [{ role: 'user', content: 'Write a long story.' }],
    }),
  });
  await res.text();
  const billed = billedUsd - before;
  expect(
    billed,
    `sent max_tokens ${JSON.stringify(sent.at(-1))}; billed $${billed.toFixed(6)} on $2`,
  ).toBeLessThanOrEqual(2);
  expect(res.status).toBe(200);
  expect(res.headers.get('x-shimmy-max-tokens-capped')).toBe(String(sent.at(-1)));
  expect(typeof sent.at(-1)).toBe('number');
});
