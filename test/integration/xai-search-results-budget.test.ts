// What xAI's X Search and Collections Search find enters the agent's conversation and is billed
// as input tokens, beside each call's fee: "Requests which make use of xAI provided server-side
// tools are priced based on two components: token usage and server-side tool invocations ... Input
// tokens: Your query and conversation history" (docs.x.ai/developers/pricing, read 2026-11-30).
// Nothing in the request bounds those results. A reservation held each call's fee and the body's
// own input, not the results, as web-search-uses.ts once did for web search (found by round 20's
// review, 2026-11-30); now they are reserved at the model's context window, as a web search's are
// (limits/tool-content-input.ts).
// Prices (docs.x.ai/developers/pricing, read 2026-11-30): grok-4-1-fast-reasoning $0.20 in / $0.50
// out per 1M, 2M context; X Search $5 / 1k calls, Collections Search $2.50 / 1k calls.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { addXai, xaiResponse } from '../support/xai-route.js';
import { postRead, startJsonProvider, type JsonProvider } from '../support/json-provider.js';

let h: Harness;
let provider: JsonProvider;

const MODEL = 'grok-4-1-fast-reasoning';
const OUT = 100;
/** Tokens one search brings into the conversation. */
const RESULTS = 60_000;
const FEE_TICKS: Record<string, number> = { x_search: 50_000_000, collections_search: 25_000_000 };

// A turn of `calls` searches: (8 + calls × 60,000) × 0.20 + 100 × 0.50 per 1M, + the fees, in ticks
// (10^10 = $1, docs.x.ai/developers/cost-tracking). 8 X searches: 480,008 × 0.20 = 96,001.6 and
// 50 → $0.0960516, + 8 × $0.005 = $0.1360516.
const turnTicks = (tool: string, calls: number) =>
  Math.round((8 + calls * RESULTS) * 0.2 * 1e4 + OUT * 0.5 * 1e4) + calls * FEE_TICKS[tool]!;

beforeAll(async () => {
  h = await startHarness();
  // The stand-in for api.x.ai runs every call max_tool_calls allows, each bringing RESULTS tokens.
  provider = await startJsonProvider((_path, body) => {
    const tool = String((body.tools as Array<{ type: string }>)[0]!.type);
    const calls = Number(body.max_tool_calls ?? 25);
    return xaiResponse({
      model: MODEL,
      input: 8 + calls * RESULTS,
      output: OUT,
      calls,
      ticks: turnTicks(tool, calls),
    });
  });
  await addXai(h, provider.url);
});
afterAll(async () => {
  await h?.close();
  await provider?.close();
});

const turn = (token: string, tool: string) =>
  postRead(h, '/v1/responses', token, {
    model: `xai/${MODEL}`,
    input: 'What is new on X about Shimmy?',
    max_output_tokens: OUT,
    tools: [{ type: tool }],
  });

it('five X Search turns at once keep to a $0.10 budget', async () => {
  // Reserved at the body's input and the fees (~$0.04 a turn), two turns went through and billed
  // $0.1360516 each. Reserved at the 2M window (2,000,000 × 0.20 = $0.40), none fits.
  const token = await h.tool('grok-x-results', { dailyUsd: 0.1 });
  await Promise.all(Array.from({ length: 5 }, () => turn(token, 'x_search')));
  await expect.poll(async () => (await h.records('grok-x-results')).length).toBe(5);
  expect(await h.spentBy('grok-x-results')).toBeLessThanOrEqual(0.1);
});

it('a budget with room for one Collections Search turn lets one of three through', async () => {
  // One turn's worst case: the 2M window ($0.40), 8 calls at $0.0025 ($0.02) and 100 output tokens
  // ($0.00005) = $0.42005 ≤ $0.50; a second does not fit what is left. Billed as the provider
  // reports it: 480,008 × 0.20 + 100 × 0.50 = 96,051.6 per 1M → $0.0960516, + 8 × $0.0025 =
  // $0.1160516.
  const token = await h.tool('grok-collections', { dailyUsd: 0.5 });
  const all = await Promise.all(Array.from({ length: 3 }, () => turn(token, 'collections_search')));
  expect(all.filter((r) => r.status === 200)).toHaveLength(1);
  await expect.poll(async () => (await h.records('grok-collections')).length).toBe(3);
  expect(await h.spentBy('grok-collections')).toBe(turnTicks('collections_search', 8) / 1e10);
  expect(turnTicks('collections_search', 8)).toBe(1_160_516_000);
});
