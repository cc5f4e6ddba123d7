// xAI puts the exact charge of every request in its usage object, `cost_in_usd_ticks` (1 USD =
// 10^10 ticks), "inclusive of all token costs and server-side tool invocation costs"
// (docs.x.ai/developers/cost-tracking, read 2026-11-29). Shimmy priced xAI answers from the
// catalog alone (found by red20, 2026-11-29), so what the catalog does not know was lost:
// - the fees of xAI's server-side tools, X Search and Web Search at $5 per 1,000 calls
//   (docs.x.ai/developers/pricing, read 2026-11-29): an agent turn that searched X three times
//   was recorded at a seventh of its charge;
// - the model ids xAI lists today: `grok-4.20-0309-reasoning` (docs.x.ai/developers/models, read
//   2026-11-29: $2.00 in / $0.20 cached / $6.00 out per 1M) matches no catalog entry, so its
//   answers were recorded unpriced;
// - its images, billed per image ($0.02 for grok-imagine-image, docs.x.ai/developers/models, read
//   2026-11-29), for which the catalog has no unit: recorded unpriced.
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CASES } from '../conformance/pricing-cases.js';
import { startHarness, type Harness } from '../support/harness.js';
import { addXai } from '../support/xai-route.js';
import { sseAnswer, startJsonProvider, type Answer, type JsonProvider } from '../support/json-provider.js';

let h: Harness;
let provider: JsonProvider;

// Tokens: grok-4-1-fast-reasoning $0.20 in / $0.05 cached / $0.50 out per 1M (docs.x.ai/developers/models,
// read 2026-11-29).
const MODEL = 'grok-4-1-fast-reasoning';
// 20,000 input tokens, 15,000 of them cached; 1,500 output tokens (1,200 of them reasoning,
// inside output_tokens here as xAI's Responses totals show); three X Search calls:
// 5,000 × 0.20 + 15,000 × 0.05 + 1,500 × 0.50 = 1,000 + 750 + 750 = 2,500 per 1M = $0.0025 in
// tokens, + 3 × $0.005 = $0.015 in tool calls → $0.0175 = 175,000,000 ticks.
const BILLED_USD = 0.0175;
const TICKS = 175_000_000;

// The usage object in the shape xAI's Responses API reports it (its `server_side_tool_usage_details`
// counts the calls by tool).
const responsesUsage = {
  input_tokens: 20_000,
  input_tokens_details: { cached_tokens: 15_000 },
  output_tokens: 1500,
  output_tokens_details: { reasoning_tokens: 1200 },
  total_tokens: 21_500,
  num_sources_used: 0,
  num_server_side_tools_used: 3,
  cost_in_usd_ticks: TICKS,
  server_side_tool_usage_details: { web_search_calls: 0, x_search_calls: 3 },
};
// A chat completion from grok-4.20-0309-reasoning: the conformance suite's case, its hand cost
// beside it there ($0.022).
const chatCase = CASES.find((c) => c.model === 'grok-4.20-0309-reasoning')!;
const CHAT_MODEL = chatCase.model;
const CHAT_BILLED_USD = chatCase.hand;
const chatUsage = chatCase.wire!.usage;

// Two images from grok-imagine-image: 2 × $0.02 = $0.04 = 400,000,000 ticks.
const IMAGE_MODEL = 'grok-imagine-image';
const IMAGES_BILLED_USD = 0.04;

const answer: Answer = (path, body) => {
  if (path.endsWith('/images/generations'))
    return {
      data: [{ b64_json: 'aW1n' }, { b64_json: 'aW1n' }],
      usage: { cost_in_usd_ticks: 400_000_000 },
    };
  if (path.endsWith('/chat/completions')) {
    const chunk = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: MODEL };
    if (body.stream === true)
      return sseAnswer([
        { ...chunk, choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: 'stop' }] },
        { ...chunk, choices: [], usage: chatUsage },
      ]);
    return {
      ...chunk,
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
      usage: chatUsage,
    };
  }
  const response = {
    id: 'resp_1',
    object: 'response',
    created_at: 1,
    status: 'completed',
    model: MODEL,
    output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'ok' }] }],
    usage: responsesUsage,
  };
  if (body.stream !== true) return response;
  return sseAnswer(
    [
      { type: 'response.created', response: { ...response, status: 'in_progress', usage: null } },
      { type: 'response.completed', response },
    ],
    { named: true },
  );
};

beforeAll(async () => {
  h = await startHarness();
  provider = await startJsonProvider(answer);
  await addXai(h, provider.url);
});
afterAll(async () => {
  await h?.close();
  await provider?.close();
});

async function xaiClient(tool: string): Promise<OpenAI> {
  return new OpenAI({ baseURL: `${h.core.url}/v1`, apiKey: await h.tool(tool), maxRetries: 0 });
}

async function recordedCost(tool: string): Promise<number | null> {
  await expect.poll(async () => (await h.records(tool)).length).toBe(1);
  const [rec] = await h.records(tool);
  expect(rec!.estimated).toBe(false);
  return rec!.costUsd;
}

for (const stream of [false, true]) {
  const how = stream ? ' (streamed)' : '';
  it(`a Responses turn with three X searches is recorded at xAI's charge${how}`, async () => {
    const tool = `grok-agent${stream ? '-s' : ''}`;
    const client = await xaiClient(tool);
    const body = {
      model: `xai/${MODEL}`,
      input: 'what is new on X about Shimmy?',
      tools: [{ type: 'x_search' }] as unknown as OpenAI.Responses.Tool[],
    };
    if (stream) for await (const _ of await client.responses.create({ ...body, stream }));
    else await client.responses.create(body);
    expect(await recordedCost(tool)).toBe(BILLED_USD);
  });

  it(`a chat completion from a model the catalog does not know is recorded at xAI's charge${how}`, async () => {
    const tool = `grok-chat${stream ? '-s' : ''}`;
    const client = await xaiClient(tool);
    const body = { model: `xai/${CHAT_MODEL}`, messages: [{ role: 'user' as const, content: 'hi' }] };
    if (stream) for await (const _ of await client.chat.completions.create({ ...body, stream }));
    else await client.chat.completions.create(body);
    expect(await recordedCost(tool)).toBe(CHAT_BILLED_USD);
  });
}

it("two generated images are recorded at xAI's charge", async () => {
  const client = await xaiClient('grok-painter');
  await client.images.generate({ model: `xai/${IMAGE_MODEL}`, prompt: 'a shimmering proxy', n: 2 });
  expect(await recordedCost('grok-painter')).toBe(IMAGES_BILLED_USD);
});
