// xAI bills its code execution tool per call, under either of its names: "Code Execution $5 / 1k
// calls ... code_execution, code_interpreter" (docs.x.ai/developers/pricing, read 2026-11-30). A
// request naming `code_interpreter` was taken for OpenAI's tool, whose containers are billed by
// their memory, and refused under a budget ("containers at xai have no known price"), though
// `code_execution`, the same tool, was admitted and reserved per call (found by round 20's review,
// 2026-11-30). Now both are bounded by max_tool_calls and reserved at $0.005 a call, as
// xai-tool-calls-budget.test.ts does for X Search, and recorded at xAI's own charge.
// Tokens: grok-4-1-fast-reasoning $0.20 in / $0.50 out per 1M (docs.x.ai/developers/pricing, read
// 2026-11-30).
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
// = $0.0000516 = 516,000 ticks (10^10 ticks = $1, docs.x.ai/developers/cost-tracking); each code
// execution call $5 / 1,000 = $0.005 = 50,000,000 ticks.
const turnTicks = (calls: number) => 516_000 + calls * 50_000_000;

beforeAll(async () => {
  h = await startHarness();
  // The stand-in for api.x.ai runs every call its request allows (25 when it names no bound) and
  // reports them as xAI does: one code_interpreter_call item each, counted by tool, in its ticks.
  provider = await startJsonProvider((_path, body) => {
    received.push(body);
    const calls = body.max_tool_calls === undefined ? 25 : Number(body.max_tool_calls);
    return xaiResponse({
      model: MODEL,
      tools: body.tools,
      items: Array.from({ length: calls }, (_, i) => ({
        type: 'code_interpreter_call',
        id: `ci_${i}`,
        status: 'completed',
        code: 'print(1)',
      })),
      input: 8,
      output: OUT,
      calls,
      ticks: turnTicks(calls),
      details: { code_interpreter_calls: calls },
    });
  });
  await addXai(h, provider.url);
});
afterAll(async () => {
  await h?.close();
  await provider?.close();
});

const turn = (token: string) =>
  postRead(h, '/v1/responses', token, {
    model: `xai/${MODEL}`,
    input: 'sum the primes below 100',
    max_output_tokens: OUT,
    tools: [{ type: 'code_interpreter', container: { type: 'auto' } }],
  });

it('two concurrent code_interpreter turns are bounded per call and keep to a $0.08 budget', async () => {
  // As for X Search: the first is sent with the 8 calls Shimmy writes ($0.04 + tokens), the second
  // with the 7 the rest pays for ($0.035 + tokens; 8 would pass $0.08). Billed
  // 8 × 0.005 + 0.0000516 + 7 × 0.005 + 0.0000516 = $0.0751032.
  const token = await h.tool('grok-code', { dailyUsd: 0.08 });
  const [a, b] = await Promise.all([turn(token), turn(token)]);
  expect([a.status, b.status], a.text + b.text).toEqual([200, 200]);
  expect(
    received
      .slice(-2)
      .map((r) => r.max_tool_calls)
      .sort(),
  ).toEqual([7, 8]);
  await expect.poll(async () => (await h.records('grok-code')).length).toBe(2);
  expect(await h.spentBy('grok-code')).toBe((turnTicks(8) + turnTicks(7)) / 1e10);
});

it('a budget with room for one call lets one of five concurrent turns through', async () => {
  // One call is 0.005 + 0.0000516 = $0.0050516 ≤ $0.008; a second call, or a second turn, would
  // pass it. Billed $0.0050516.
  const token = await h.tool('grok-code-one', { dailyUsd: 0.008 });
  const all = await Promise.all(Array.from({ length: 5 }, () => turn(token)));
  expect(all.filter((r) => r.status === 200)).toHaveLength(1);
  expect(received.at(-1)!.max_tool_calls).toBe(1);
  await expect.poll(async () => (await h.records('grok-code-one')).length).toBe(5);
  expect(await h.spentBy('grok-code-one')).toBe(turnTicks(1) / 1e10);
});
