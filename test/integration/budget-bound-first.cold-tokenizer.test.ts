// Bound first (issue 16): a budgeted request is priced at an upper bound on its input (UTF-8 bytes;
// byte-level BPE never has more tokens than bytes) and admitted on it, uncounted, when that fits:
// the tokenizer thread (~40 MB of RSS) is never handed a text, nor loaded. Only a request the
// bound does not fit is counted, and refused or capped on the exact count, as before.
// This file starts without the tokenizer loaded (test/support/tokenizer-setup.ts).
// Prices: gpt-4o-mini $0.15 in / $0.60 out per 1M tokens (openai.com/api/pricing, as in
// /work/shared/WIRE-FACTS.md, checked 2026-11-28); no cache-write price, so input at $0.15.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTokenizerThread, tokenizerHandOvers } from '../../main/core/meter/token-count.js';
import { tokenizerThread } from '../../main/core/meter/tokenizer-thread.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const openai = (token: string) => new OpenAI({ baseURL: `${h.core.url}/v1`, apiKey: token, maxRetries: 0 });
const anthropic = (token: string) => new Anthropic({ baseURL: h.core.url, apiKey: token, maxRetries: 0 });

/** "hello" and 9,999 × " hello": 10,000 o200k_base tokens (one per word), 59,999 UTF-8 bytes. As
 *  the only user message: 10,007 input tokens counted (3 reply priming + 3 for the message + 1 for
 *  "user", OpenAI cookbook), 60,009 at the bound (59,999 + 4 bytes of "user" + 6). */
const PROMPT = 'hello' + ' hello'.repeat(9_999);
const near = {
  model: 'gpt-4o-mini',
  max_tokens: 10_000,
  messages: [{ role: 'user' as const, content: PROMPT }],
};

/** A plain and a streamed chat request, and a Claude message, of one tool. */
async function traffic(token: string): Promise<void> {
  const plain = await openai(token).chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Why should a local API proxy meter every request?' }],
  });
  expect(plain.usage?.prompt_tokens).toBe(12);
  const stream = await openai(token).chat.completions.create({
    model: 'gpt-4o-mini',
    stream: true,
    max_tokens: 1000,
    messages: [{ role: 'user', content: 'go' }],
  });
  let chunks = 0;
  for await (const _ of stream) chunks++;
  expect(chunks).toBeGreaterThan(1);
  const claude = await anthropic(token).messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1000,
    messages: [{ role: 'user', content: 'hi' }],
  });
  expect(claude.type).toBe('message');
}

describe('budgeted requests far from their budget', () => {
  it('never start the tokenizer thread', async () => {
    const token = await h.tool('far', { dailyUsd: 100 });
    await traffic(token);
    // A count asks for the encoding's load at the proxy's next quiet moment (≤ 5 s): none asked.
    await new Promise((r) => setTimeout(r, 5_500));
    expect(tokenizerThread.loading()).toEqual([]);
    // The provider's own usage is what is recorded (the fake upstream: 12 in / 5 out):
    // 12 × $0.15/1M + 5 × $0.60/1M = $0.0000048 for the plain request.
    const records = await h.admin.call('listRequests', { query: { tool: 'far', model: 'gpt-4o-mini' } });
    expect(records.records.map((r) => r.costUsd)).toContain(0.0000048);
  }, 30_000);

  it('hand the loaded tokenizer thread no text, on admit nor per streamed chunk', async () => {
    await startTokenizerThread();
    const token = await h.tool('far-loaded', { dailyUsd: 100, monthlyUsd: 1000 });
    const before = tokenizerHandOvers();
    await traffic(token);
    expect(tokenizerHandOvers() - before).toBe(0);
  }, 60_000);
});

describe('a budgeted request near its budget is decided on the exact count', () => {
  // Exact counts from here on (until loaded, a count is the bound too: token-count.ts).
  beforeAll(() => startTokenizerThread(), 60_000);

  it('is admitted uncapped when the exact count fits (the bound would have capped it)', async () => {
    // Exact: 10,007 × $0.15/1M + 10,000 × $0.60/1M = $0.00150105 + $0.006 = $0.00750105 ≤ $0.01.
    // At the bound: 60,009 × $0.15/1M + $0.006 = $0.01500135 > $0.01: counted.
    const token = await h.tool('near-fits', { dailyUsd: 0.01 });
    const { response } = await openai(token).chat.completions.create(near).withResponse();
    expect(response.headers.get('x-shimmy-max-tokens-capped')).toBeNull();
    expect((h.upstream.received.at(-1)!.body as { max_tokens: number }).max_tokens).toBe(10_000);
  }, 30_000);

  it('is capped on the exact count', async () => {
    // $0.005 − 10,007 × $0.15/1M = $0.00349895 for output: 5,831 tokens at $0.60/1M
    // ($0.0034986; 5,832 would be $0.0034992). At the bound the input alone ($0.00900135) is over.
    const token = await h.tool('near-capped', { dailyUsd: 0.005 });
    const { response } = await openai(token).chat.completions.create(near).withResponse();
    expect(response.headers.get('x-shimmy-max-tokens-capped')).toBe('5831');
    expect((h.upstream.received.at(-1)!.body as { max_tokens: number }).max_tokens).toBe(5_831);
  }, 30_000);

  it('is refused on the exact count when not even 1,024 output tokens fit', async () => {
    // $0.0021 − $0.00150105 = $0.00059895: 998 output tokens, under the 1,024 floor
    // (1,024 × $0.60/1M = $0.0006144).
    const token = await h.tool('near-refused', { dailyUsd: 0.0021 });
    const err = (await openai(token)
      .chat.completions.create(near)
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.status).toBe(429);
    expect(err.message).toContain('Not even a 1024-token answer fits');
  }, 30_000);
});
