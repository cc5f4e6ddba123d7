// OpenAI's Responses file_search tool puts the chunks it finds into the context, billed as input
// tokens besides its $2.50 per 1,000 calls: up to `max_num_results` chunks a call ("between 1 and
// 50 inclusive", platform.openai.com/docs/api-reference/responses/create), each at most the vector
// store's `max_chunk_size_tokens` ("minimum 100, maximum 4096", default 800,
// platform.openai.com/docs/api-reference/vector-stores-files/createFile; read 2026-11-29). Shimmy
// reserved the call fee, not the chunks (input15, 2026-11-29).
// Prices: gpt-5 $1.25 in / $10 out per 1M, file search $2.50 per 1,000 calls (openai.com/api/pricing,
// read 2026-11-29).
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { harnessOnJsonProvider, postStatus, responsesAnswer } from '../support/json-provider.js';

let h: Harness;
let billedUsd = 0;

// One search per allowed call, each returning max_num_results chunks of the default 800 tokens.
harnessOnJsonProvider(
  ['openai'],
  (x) => (h = x),
  (_, b) => {
    const tool = (b.tools as Array<{ max_num_results?: number }>)[0]!;
    const calls = Number(b.max_tool_calls ?? 8);
    const input = 8 + calls * Number(tool.max_num_results ?? 50) * 800;
    const out = Number(b.max_output_tokens);
    billedUsd += input * 1.25e-6 + out * 10e-6 + calls * 0.0025;
    return responsesAnswer({
      id: 'resp_f',
      status: 'incomplete',
      model: b.model,
      output: Array.from({ length: calls }, (_, i) => ({
        type: 'file_search_call',
        id: `fs_${i}`,
        status: 'completed',
      })),
      input,
      outputTokens: out,
    });
  },
);

const ask = (token: string) =>
  postStatus(h, '/v1/responses', token, {
    model: 'gpt-5',
    service_tier: 'default',
    max_output_tokens: 100,
    max_tool_calls: 1,
    tools: [{ type: 'file_search', vector_store_ids: ['vs_x'], max_num_results: 20 }],
    input: 'What does the contract say about renewals?',
  });

it('five searches of twenty 800-token chunks at once on a $0.05/day budget', async () => {
  // Each billed 16,008 × 1.25e-6 + 100 × 10e-6 + $0.0025 = $0.02351; reserved before at ~$0.0035:
  // all five went, $0.11755. Reserved with 20 chunks of up to 4,096 tokens (81,920 × 1.25e-6 +
  // $0.001 + $0.0025 = $0.1059), none fits $0.05; one fits $0.15.
  const token = await h.tool('file-reader', { dailyUsd: 0.05 });
  const before = billedUsd;
  await Promise.all(Array.from({ length: 5 }, () => ask(token)));
  const billed = billedUsd - before;
  expect(billed, `provider billed $${billed.toFixed(6)} on a $0.05 budget`).toBeLessThanOrEqual(0.05);
  const room = await h.tool('file-reader-room', { dailyUsd: 0.15 });
  const statuses = await Promise.all(Array.from({ length: 3 }, () => ask(room)));
  expect(statuses.filter((s) => s === 200).length).toBe(1);
});
