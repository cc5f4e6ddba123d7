// The names xAI lists for Grok 4.20 today are `grok-4.20-0309-reasoning` and
// `grok-4.20-0309-non-reasoning`, at "$1.25 input / $0.20 cached input / $2.50 output per 1M"
// (docs.x.ai/developers/pricing, read 2026-11-30; docs.x.ai/developers/models/grok-4.20-0309 lists
// `grok-4.20` among the reasoning model's aliases, with the same prices under 200k prompt tokens).
// The bundled catalog's `grok-4.20` entry, at those prices, matches only the name `grok-4.20`, so
// both were unpriced and refused under any budget (found by round 20's review, 2026-11-30).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { addXai } from '../support/xai-route.js';
import { chatAnswer, postRead, startJsonProvider, type JsonProvider } from '../support/json-provider.js';

let h: Harness;
let provider: JsonProvider;

beforeAll(async () => {
  h = await startHarness();
  // The stand-in for api.x.ai answers 1,000 prompt tokens, 400 completion tokens and 600 reasoning
  // tokens, which xAI reports outside completion_tokens; no cost_in_usd_ticks, so the price is
  // Shimmy's own.
  provider = await startJsonProvider((_path, body) => {
    const answer = chatAnswer({
      id: 'c1',
      model: String(body.model),
      finish_reason: 'stop',
      input: 1000,
      outputTokens: 400,
    });
    const usage = answer.usage as Record<string, unknown>;
    usage.completion_tokens_details = { reasoning_tokens: 600 };
    usage.total_tokens = 2000;
    return answer;
  });
  await addXai(h, provider.url);
});
afterAll(async () => {
  await h?.close();
  await provider?.close();
});

for (const model of ['grok-4.20-0309-reasoning', 'grok-4.20-0309-non-reasoning']) {
  it(`${model} is priced under a budget at xAI's listed price`, async () => {
    // 1,000 × 1.25 + (400 + 600) × 2.50 = 1,250 + 2,500 = 3,750 per 1M → $0.00375.
    const tool = `grok-420-${model.endsWith('non-reasoning') ? 'plain' : 'thinking'}`;
    const token = await h.tool(tool, { dailyUsd: 1 });
    const r = await postRead(h, '/v1/chat/completions', token, {
      model: `xai/${model}`,
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 1000,
    });
    expect(r.status, r.text).toBe(200);
    await expect.poll(async () => (await h.records(tool)).length).toBe(1);
    expect(await h.spentBy(tool)).toBe(0.00375);
  });
}

it('a name xAI does not list is still unpriced: no fallback to a shorter name', async () => {
  const token = await h.tool('grok-420-guess', { dailyUsd: 1 });
  const r = await postRead(h, '/v1/chat/completions', token, {
    model: 'xai/grok-4.20-0309-reasoning-mini',
    messages: [{ role: 'user', content: 'hi' }],
    max_tokens: 1000,
  });
  expect(r.status).toBe(403);
  expect(r.text).toContain('model_unpriced');
});
