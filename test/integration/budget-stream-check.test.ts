// A budgeted stream's running cost is checked on every chunk (issue 11): it must not parse and
// tokenize each chunk as it comes, with a synchronous wait on the tokenizer thread each time —
// most streams end with the provider's own usage, and then the output estimate is never needed.
// The cut itself (the first chunk past the budget) is covered by metering.test.ts.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenizerHandOvers } from '../../main/core/meter/token-count.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('a budgeted stream far from its budget', () => {
  it('relays 60 content chunks with no tokenizer hand-over per chunk, and records the provider usage', async () => {
    // A made-up price for the fake model (USD per 1M tokens); the budget is far above any answer.
    await h.admin.call('putPrice', { params: { model: 'slow-stream-3s' }, body: { input: 1, output: 2 } });
    const token = await h.tool('budgeted-stream', { dailyUsd: 100 });
    const openai = new OpenAI({ baseURL: `${h.core.url}/v1`, apiKey: token, maxRetries: 0 });
    const before = tokenizerHandOvers();
    const stream = await openai.chat.completions.create({
      model: 'slow-stream-3s',
      stream: true,
      max_tokens: 1000,
      messages: [{ role: 'user', content: 'go' }],
    });
    let text = '';
    let chunks = 0;
    for await (const c of stream) {
      chunks++;
      text += c.choices[0]?.delta?.content ?? '';
    }
    const handOvers = tokenizerHandOvers() - before;
    // 10 × 6 words, one chunk each (fake-upstream.ts), a chunk every 50 ms.
    expect(text).toBe('Hello from the fake upstream!'.repeat(10));
    expect(chunks).toBeGreaterThanOrEqual(61);
    // The request's input may be counted once at admit; the chunks add none (it was one each).
    expect(handOvers).toBeLessThanOrEqual(2);
    // The provider's own usage was read (fake-upstream.ts answers 12 in / 5 out unless told).
    await expect
      .poll(() =>
        h.admin.call('listRequests', { query: { tool: 'budgeted-stream' } }).then((p) => {
          const r = p.records[0];
          return r ? { estimated: r.estimated, costUsd: r.costUsd } : null;
        }),
      )
      // 12 × $1/M + 5 × $2/M = $0.000022 (the price set above).
      .toEqual({ estimated: false, costUsd: 0.000022 });
  }, 30_000);
});
