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
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { postStatus } from '../support/json-provider.js';
import { harnessOnStoredPrompts } from '../support/stored-prompt-provider.js';

let h: Harness;
/** The models the provider ran. */
const served: string[] = [];

// The stored prompt is a gpt-5 one; every answer is 1,000 tokens in and 1,000 out.
harnessOnStoredPrompts(
  { promptModel: 'gpt-5-2025-08-07', served, input: 1_000, outputTokens: 1_000 },
  (x) => (h = x),
);

/** A tool named `name` with `limits`, its model override gpt-4o-mini; resolves to its token. */
async function pinnedTool(name: string, limits: Record<string, unknown>): Promise<string> {
  const token = await h.tool(name, limits);
  await h.admin.call('patchTool', { params: { name }, body: { modelOverride: 'gpt-4o-mini' } });
  return token;
}

it('a tool pinned to gpt-4o-mini sends a stored prompt that names no model', async () => {
  const token = await pinnedTool('pinned', {});
  await postStatus(h, '/v1/responses', token, {
    prompt: { id: 'pmpt_1', version: '2' },
    input: 'hi',
    service_tier: 'default',
  });
  await expect.poll(async () => (await h.records('pinned')).length).toBe(1);
  // Before: gpt-5 ran, 1,000 × 1.25e-6 + 1,000 × 10e-6 = $0.01125 recorded for a tool pinned to
  // gpt-4o-mini, whose 1,000 × 0.15e-6 + 1,000 × 0.60e-6 = $0.00075 is 15× less.
  expect(served).toEqual(['gpt-4o-mini']);
  expect(await h.spentBy('pinned')).toBeCloseTo(0.00075, 10);
});

it('a tool pinned to gpt-4o-mini names gpt-5, ten times on a $0.01/day budget', async () => {
  served.length = 0;
  const token = await pinnedTool('pinned-named', { dailyUsd: 0.01 });
  for (let i = 0; i < 10; i++)
    await postStatus(h, '/v1/responses', token, {
      model: 'gpt-5',
      input: 'hi',
      max_output_tokens: 1_000,
      service_tier: 'default',
    });
  await expect.poll(async () => (await h.records('pinned-named')).length).toBe(10);
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
