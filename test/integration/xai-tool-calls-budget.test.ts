// xAI bills each call of its server-side tools on top of the tokens: X Search $5 / 1k calls,
// Collections Search $2.50 / 1k (docs.x.ai/developers/pricing, read 2026-11-30). Answers are
// recorded at xAI's own charge (cost_in_usd_ticks, 10^10 ticks = $1, docs.x.ai/developers/
// cost-tracking), but a reservation priced from the catalog held no fee and no bound on the calls:
// two agent turns of 25 X searches each billed $0.2501032 on a $0.08 budget (found by red22,
// 2026-11-30). Now the calls are bounded by max_tool_calls, as OpenAI's built-in tools are, and
// reserved at their fee: as many as the budget can pay for.
// Tokens: grok-4-1-fast-reasoning $0.20 in / $0.50 out per 1M (docs.x.ai/developers/models, read
// 2026-11-29; the catalog has the same).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { addXai, xaiResponse } from '../support/xai-route.js';
import { postRead, startJsonProvider, type JsonProvider } from '../support/json-provider.js';

let h: Harness;
let provider: JsonProvider;
const received: Array<Record<string, unknown>> = [];

const MODEL = 'grok-4-1-fast-reasoning';
const OUT = 100;
// Every turn reads 8 input tokens and writes 100: 8 × 0.20 + 100 × 0.50 = 1.6 + 50 = 51.6 per 1M
// = $0.0000516 = 516,000 ticks; each call $0.005 = 50,000,000 ticks.
const turnTicks = (calls: number) => 516_000 + calls * 50_000_000;

beforeAll(async () => {
  h = await startHarness();
  // The stand-in for api.x.ai runs every call its request allows (25 when it names no bound, as an
  // agent that keeps searching would) and bills them in its ticks.
  provider = await startJsonProvider((_path, body) => {
    received.push(body);
    const calls = body.max_tool_calls === undefined ? 25 : Number(body.max_tool_calls);
    return xaiResponse({
      model: MODEL,
      input: 8,
      output: OUT,
      calls,
      ticks: turnTicks(calls),
      details: { web_search_calls: 0, x_search_calls: calls },
    });
  });
  await addXai(h, provider.url);
});
afterAll(async () => {
  await h?.close();
  await provider?.close();
});

const turn = (token: string, more: Record<string, unknown> = {}) =>
  postRead(h, '/v1/responses', token, {
    model: `xai/${MODEL}`,
    input: 'hi',
    max_output_tokens: OUT,
    tools: [{ type: 'x_search' }],
    ...more,
  });

it('two concurrent X Search turns keep to a $0.88 budget', async () => {
  // What X Search finds is input too, reserved at the 2M context window: 2,000,000 × 0.20 per 1M
  // = $0.40, + 100 output × 0.50 per 1M = $0.00005 (xai-search-results-budget.test.ts). The first is
  // sent with the 8 calls Shimmy writes ($0.40005 + $0.04), the second with what is left: 7 calls
  // ($0.40005 + $0.035 fits the $0.43995 left; 8 do not). Billed 8 × 0.005 + 0.0000516 + 7 × 0.005 +
  // 0.0000516 = $0.0751032.
  const token = await h.tool('grok-agents', { dailyUsd: 0.88 });
  const [a, b] = await Promise.all([turn(token), turn(token)]);
  expect([a.status, b.status]).toEqual([200, 200]);
  const sent = received.slice(-2).map((r) => r.max_tool_calls);
  expect(sent.sort()).toEqual([7, 8]);
  await expect.poll(async () => (await h.records('grok-agents')).length).toBe(2);
  expect(await h.spentBy('grok-agents')).toBe((turnTicks(8) + turnTicks(7)) / 1e10);
  expect(await h.spentBy('grok-agents')).toBeLessThanOrEqual(0.88);
});

it("a client's own max_tool_calls is lowered to the calls the budget can pay for", async () => {
  // With the $0.40005 of the window and the output above, 20 calls ($0.10) are past $0.43: sent
  // with 5 ($0.42505), 6 would be $0.43005, past it. Billed 5 × 0.005 + 0.0000516 = $0.0250516.
  const token = await h.tool('grok-bounded', { dailyUsd: 0.43 });
  const r = await turn(token, { max_tool_calls: 20 });
  expect(r.status).toBe(200);
  expect(r.headers.get('x-shimmy-max-tool-calls-capped')).toBe('5');
  expect(received.at(-1)!.max_tool_calls).toBe(5);
  await expect.poll(() => h.spentBy('grok-bounded')).toBe(turnTicks(5) / 1e10);
});
