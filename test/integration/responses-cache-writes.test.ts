// GPT-5.6 bills prompt-cache writes at 1.25× input, and the Responses API reports them in
// `usage.input_tokens_details.cache_write_tokens` (openai-node 6.49.0's ResponseUsage). The
// Responses reader took none, so a Codex turn's written prefix was priced as plain input (found by
// red20, 2026-11-29). Codex speaks only the Responses API: every turn that writes the cache was
// recorded 25% short on its written tokens.
// Prices: gpt-5.6-terra from 2026-07-30, $2 in / $2.50 cache write / $0.20 cached / $12 out per 1M
// (@pydantic/genai-prices 0.1.8 bundled data, read 2026-11-29; writes at 1.25× input as OpenAI's
// GPT-5.6 caching contract has it, ai-cost-estimator.com, 2026-06-27).
import OpenAI from 'openai';
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { harnessOnJsonProvider, responsesAnswer, sseAnswer } from '../support/json-provider.js';

let h: Harness;

// A Codex turn: 120,000 input tokens, 80,000 of them read from the cache and 30,000 written to it.
const usage = {
  input_tokens: 120_000,
  input_tokens_details: { cached_tokens: 80_000, cache_write_tokens: 30_000 },
  output_tokens: 2000,
  output_tokens_details: { reasoning_tokens: 1500 },
  total_tokens: 122_000,
};
// 10,000 × 2 + 30,000 × 2.5 + 80,000 × 0.2 + 2,000 × 12 = 20,000 + 75,000 + 16,000 + 24,000
// = 135,000 per 1M. (Priced as plain input, the writes made it 120,000 per 1M: $0.12.)
const BILLED_USD = 0.135;

harnessOnJsonProvider(
  ['openai'],
  (started) => (h = started),
  (_path, body) => {
    const response = {
      ...responsesAnswer({
        id: 'resp_1',
        status: 'completed',
        model: 'gpt-5.6-terra',
        output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'done' }] }],
        input: 0,
        outputTokens: 0,
      }),
      usage,
    };
    if (body.stream !== true) return response;
    return sseAnswer(
      [
        { type: 'response.created', response: { ...response, status: 'in_progress', usage: null } },
        { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, delta: 'done' },
        { type: 'response.completed', response },
      ],
      { named: true },
    );
  },
  // Noon UTC on 2026-11-27: the catalog's price entry in force from 2026-07-30.
  { core: { now: () => new Date('2026-11-27T12:00:00.000Z') } },
);

for (const stream of [false, true]) {
  it(`a gpt-5.6 Responses turn that writes the cache is recorded at the write rate${stream ? ' (streamed)' : ''}`, async () => {
    const tool = `codex-${stream ? 'stream' : 'plain'}`;
    const client = new OpenAI({ baseURL: `${h.core.url}/v1`, apiKey: await h.tool(tool), maxRetries: 0 });
    if (stream) {
      for await (const _ of await client.responses.create({
        model: 'gpt-5.6-terra',
        input: 'fix it',
        stream,
      }));
    } else await client.responses.create({ model: 'gpt-5.6-terra', input: 'fix it' });
    await expect.poll(async () => (await h.records(tool)).length).toBe(1);
    const [rec] = await h.records(tool);
    expect(rec!.estimated).toBe(false);
    expect(rec!.costUsd).toBe(BILLED_USD);
  });
}
