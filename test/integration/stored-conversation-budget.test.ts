// A Responses request that continues a stored response (`previous_response_id`) is billed for the
// whole stored conversation as input, which its body does not carry ("previous input tokens in
// the chain are billed as input tokens", platform.openai.com/docs/guides/conversation-state, read
// 2026-11-29). Under a USD budget it is reserved with the conversation the answer it continues
// ended (that answer's input + output, as relayed), or, for an answer Shimmy did not relay, with
// the model's whole context window.
// Prices: gpt-5 $1.25 in / $10 out per 1M (openai.com/api/pricing, read 2026-11-27); gpt-4o $2.50 /
// $10, gpt-4.1 $2 / $8 per 1M (openai.com/api/pricing, read 2026-11-29).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { startJsonProvider, type JsonProvider } from '../support/json-provider.js';

let h: Harness;
let provider: JsonProvider;
let sent = 0;

beforeAll(async () => {
  h = await startHarness();
  // Bills 8 input tokens for the body ("big": 200,000), plus the conversation a continuation
  // brings (the input and output of the answer it continues), and writes max_output_tokens.
  const conversations = new Map<string, number>();
  let n = 0;
  provider = await startJsonProvider((_, b) => {
    sent++;
    const own = b.input === 'big' ? 200_000 : 8;
    // A conversation stored elsewhere, near gpt-4.1's 1,000,000-token window.
    const elsewhere = b.previous_response_id === 'resp_long_elsewhere' ? 999_000 : 0;
    const input = own + (conversations.get(String(b.previous_response_id)) ?? elsewhere);
    const output = Number(b.max_output_tokens);
    const id = `resp_${++n}`;
    conversations.set(id, input + output);
    return {
      id,
      object: 'response',
      created_at: 1,
      status: 'completed',
      model: b.model,
      service_tier: 'default',
      output: [
        {
          type: 'message',
          id: 'msg_x',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'ok', annotations: [] }],
        },
      ],
      usage: {
        input_tokens: input,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: output,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: input + output,
      },
    };
  });
  await h.point('openai', provider.url);
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

async function respond(token: string, body: Record<string, unknown>) {
  const res = await fetch(`${h.core.url}/v1/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-5', max_output_tokens: 1000, ...body }),
  });
  const text = await res.text();
  return { status: res.status, id: res.ok ? (JSON.parse(text) as { id: string }).id : undefined };
}

it('a continuation of a relayed answer is reserved with its conversation, and fits', async () => {
  const token = await h.tool('small-chat', { dailyUsd: 0.1 });
  const first = await respond(token, { input: 'hi' });
  expect(first.status).toBe(200);
  const second = await respond(token, { input: 'hi', previous_response_id: first.id });
  expect(second.status).toBe(200);
  // 8 × 1.25e-6 + 1,000 × 10e-6 = $0.01001; then (8 + 1,008) × 1.25e-6 + 1,000 × 10e-6 = $0.01127.
  await expect.poll(() => h.spentBy('small-chat')).toBe(0.02128);
});

it('a continuation of a 200,000-token conversation is refused where the budget cannot pay its input', async () => {
  const token = await h.tool('big-chat', { dailyUsd: 0.3 });
  // 200,000 × 1.25e-6 + 1,000 × 10e-6 = $0.26: inside $0.30 (reserved at the body's "big", 1 token).
  const first = await respond(token, { input: 'big' });
  expect(first.status).toBe(200);
  await expect.poll(() => h.spentBy('big-chat')).toBe(0.26);
  // Continuing it brings 201,000 tokens of input: 201,008 × 1.25e-6 = $0.25126, more than the $0.04
  // left. Reserved as "hi", it went out and billed $0.26126 (spend $0.52126).
  const before = sent;
  expect((await respond(token, { input: 'hi', previous_response_id: first.id })).status).toBe(429);
  expect(sent).toBe(before);
  expect(await h.spentBy('big-chat')).toBe(0.26);
});

it('a continuation of an answer Shimmy did not relay is reserved at the context window', async () => {
  // gpt-5's context window, 400,000 tokens, of input: $0.50 at least, over the $0.10 budget.
  const token = await h.tool('elsewhere', { dailyUsd: 0.1 });
  const before = sent;
  expect((await respond(token, { input: 'hi', previous_response_id: 'resp_from_elsewhere' })).status).toBe(
    429,
  );
  expect(sent).toBe(before);
  // Without a budget nothing is reserved: it goes out.
  const free = await h.tool('elsewhere-free');
  expect((await respond(free, { input: 'hi', previous_response_id: 'resp_from_elsewhere' })).status).toBe(
    200,
  );
});

it('a continuation that may fail over is reserved at the widest context window of the chain', async () => {
  // The routed provider is down (nothing listens on port 9); its fallback serves gpt-4.1. Windows
  // (the catalog's, @pydantic/genai-prices 0.1.8): gpt-4o 128,000 tokens, gpt-4.1 1,000,000.
  await h.admin.call('addProvider', {
    body: { name: 'down', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1' },
  });
  await h.admin.call('putKey', { body: { provider: 'down', key: 'sk-down-000000000001' } });
  await h.admin.call('patchProvider', { params: { name: 'down' }, body: { fallback: 'openai/gpt-4.1' } });
  const token = await h.tool('failover-chat', { dailyUsd: 1 });
  const before = sent;
  // At the widest window, priced at the dearer of the two: 1,000,000 × 2.5e-6 = $2.50 of input,
  // over the $1 budget. Reserved at gpt-4o's 128,000 ($0.32 + 1,000 × 10e-6 = $0.33), it went
  // out, failed over, and gpt-4.1 billed 999,008 × 2e-6 + 1,000 × 8e-6 = $2.006016 on the $1.
  const r = await respond(token, {
    model: 'down/gpt-4o',
    input: 'hi',
    previous_response_id: 'resp_long_elsewhere',
  });
  expect(r.status).toBe(429);
  expect(sent).toBe(before);
  expect(await h.spentBy('failover-chat')).toBe(0);
});
