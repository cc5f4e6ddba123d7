// A text too long to tokenize on the request path (over 200,000 characters) is still reserved at
// no less than its real token count (issue 16): it used to be counted at 3 characters per token,
// which random CJK, digits or punctuation pass by far, so a budget could be overshot.
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** `n` CJK ideographs (U+4E00–U+9FFF) from a fixed linear congruential sequence, each after a
 *  space (so each is its own pre-token: gpt-tokenizer counts that in well under a second). */
function randomCjk(n: number): string {
  let x = 12345;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out.push(' ' + String.fromCharCode(0x4e00 + (x % 0x5200)));
  }
  return out.join('');
}

describe('input reserved at an upper bound for texts too long to tokenize', () => {
  it('refuses a 210,000-character CJK prompt (237,772 tokens) whose real count alone is over the budget', async () => {
    const text = randomCjk(105_000); // 210,000 characters
    // The premise, counted with OpenAI's own o200k_base encoding (gpt-4o-mini's): more tokens than
    // the budget can pay for. 210,000 / 3 = 70,000 tokens would have fit.
    const real = countTokens(text);
    // gpt-4o-mini: $0.15 per 1M input tokens, $0.60 per 1M output (openai.com/api/pricing,
    // 2026-11-27). A $0.02 budget pays for 0.02 / 0.15e-6 = 133,333 input tokens and no output;
    // at 70,000 tokens ($0.0105) it left room for ~15,800 output tokens, so it was sent.
    expect(real).toBeGreaterThan(133_334);
    const token = await h.tool('cjk', { dailyUsd: 0.02 });
    const before = h.upstream.received.length;
    const client = new OpenAI({ baseURL: `${h.core.url}/v1`, apiKey: token, maxRetries: 0 });
    const err = (await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.status).toBe(429);
    expect(err.message).toContain('budget');
    expect(h.upstream.received.length).toBe(before);
  });
});
