// A tool's model override "replaces the model every request of this tool names": the user pins a
// tool to a cheap model. Shimmy routed, reserved and priced the override, but the body went
// upstream with the model the client named (the splice compared the upstream model with the
// override, not with the body): a tool pinned to gpt-4o-mini that asked for gpt-5 ran gpt-5 at 15×
// the recorded cost, past its budget. And a Responses request naming no model — a stored prompt
// (`prompt: { id }`), whose saved model answers — was not overridden at all (found by red15,
// 2026-11-29). The override now goes into every model request's body, named or not (a Responses
// request's `model` overrides its stored prompt's).
// Prices: gpt-5 $1.25 in / $10 out, gpt-4o-mini $0.15 / $0.60 per 1M tokens (openai.com/api/pricing,
// read 2026-11-29).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { startJsonProvider, type JsonProvider } from '../support/json-provider.js';

let h: Harness;
let provider: JsonProvider;
/** The models the provider ran. */
const served: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  provider = await startJsonProvider((_, b) => {
    // OpenAI runs the request's model, else the stored prompt's (a gpt-5 prompt here).
    const model = typeof b.model === 'string' ? b.model : 'gpt-5-2025-08-07';
    served.push(model);
    return {
      id: 'resp_1',
      object: 'response',
      status: 'completed',
      model,
      output: [
        {
          type: 'message',
          id: 'msg_1',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'ok', annotations: [] }],
        },
      ],
      usage: {
        input_tokens: 1_000,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 1_000,
        output_tokens_details: { reasoning_tokens: 900 },
        total_tokens: 2_000,
      },
      service_tier: 'default',
    };
  });
  await h.point('openai', provider.url);
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

it('a tool pinned to gpt-4o-mini sends a stored prompt that names no model', async () => {
  const token = await h.tool('pinned', {});
  await h.admin.call('patchTool', { params: { name: 'pinned' }, body: { modelOverride: 'gpt-4o-mini' } });
  const res = await fetch(`${h.core.url}/v1/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: { id: 'pmpt_1', version: '2' }, input: 'hi', service_tier: 'default' }),
  });
  await res.text();
  await expect
    .poll(async () => (await h.admin.call('listRequests', { query: { tool: 'pinned' } })).records.length)
    .toBe(1);
  // Before: gpt-5 ran, 1,000 × 1.25e-6 + 1,000 × 10e-6 = $0.01125 recorded for a tool pinned to
  // gpt-4o-mini, whose 1,000 × 0.15e-6 + 1,000 × 0.60e-6 = $0.00075 is 15× less.
  expect(served).toEqual(['gpt-4o-mini']);
  expect(await h.spentBy('pinned')).toBeCloseTo(0.00075, 10);
});

it('a tool pinned to gpt-4o-mini names gpt-5, ten times on a $0.01/day budget', async () => {
  served.length = 0;
  const token = await h.tool('pinned-named', { dailyUsd: 0.01 });
  await h.admin.call('patchTool', {
    params: { name: 'pinned-named' },
    body: { modelOverride: 'gpt-4o-mini' },
  });
  for (let i = 0; i < 10; i++) {
    const res = await fetch(`${h.core.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-5',
        input: 'hi',
        max_output_tokens: 1_000,
        service_tier: 'default',
      }),
    });
    await res.text();
  }
  await expect
    .poll(
      async () => (await h.admin.call('listRequests', { query: { tool: 'pinned-named' } })).records.length,
    )
    .toBe(10);
  // What the provider billed for the models it ran, per answer of 1,000 in + 1,000 out.
  const billed = served.reduce((usd, m) => usd + (m.startsWith('gpt-5') ? 0.01125 : 0.00075), 0);
  const spent = await h.spentBy('pinned-named');
  // Before: the override named the price and the reservation, not the body: gpt-5 ran all ten,
  // billed 10 × $0.01125 = $0.1125 on the $0.01 budget, recorded 10 × $0.00075 = $0.0075.
  const figures = `ran ${served.join(',')}: billed $${billed.toFixed(5)}, recorded $${spent}`;
  expect(
    served.every((m) => m === 'gpt-4o-mini'),
    figures,
  ).toBe(true);
  expect(billed, figures).toBeLessThanOrEqual(0.01);
  expect(spent, figures).toBeCloseTo(billed, 10);
});
