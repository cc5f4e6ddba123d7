// `stream` written as something other than the JSON `true` — "true", 1, "yes" — to a server that
// validates with pydantic in lax mode (vLLM and other OpenAI-compatible servers): it streams.
// Shimmy adds `stream_options.include_usage` only to a request it reads as streaming, and such a
// server sends the usage chunk only when asked (vLLM: `stream_options.include_usage`), so the
// answer was recorded as Shimmy's estimate from the visible text — without the reasoning the
// model did not show — instead of the server's own count.
// Prices: llama-3.1-70b on a self-hosted server has no catalog price; the user sets $1 in /
// $10 out per 1M (as reservation-gaps.test.ts does).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import {
  chatAnswer,
  chatChunk,
  chatUsageChunk,
  sseAnswer,
  startJsonProvider,
  type JsonProvider,
} from '../support/json-provider.js';

let h: Harness;
let provider: JsonProvider;

/** pydantic's lax bool: what vLLM's request model reads as `true`. */
const laxTrue = (v: unknown) =>
  v === true ||
  v === 1 ||
  (typeof v === 'string' && ['true', '1', 'yes', 'on', 't', 'y'].includes(v.toLowerCase()));

beforeAll(async () => {
  // 8 prompt tokens; 900 completion tokens, all but one of them reasoning the answer does not show.
  const model = 'llama-3.1-70b';
  provider = await startJsonProvider((_, b) => {
    if (!laxTrue(b.stream))
      return chatAnswer({ id: 'chatcmpl-x', model, finish_reason: 'stop', input: 8, outputTokens: 900 });
    const options = b.stream_options as { include_usage?: unknown } | undefined;
    return sseAnswer([
      chatChunk(model, { role: 'assistant', content: 'ok' }),
      chatChunk(model, {}, 'stop'),
      ...(options?.include_usage === true ? [chatUsageChunk(model, 8, 900)] : []),
    ]);
  });
  h = await startHarness();
  await h.admin.call('addProvider', {
    body: { name: 'vllm', kind: 'openai', baseUrl: `${provider.url}/v1` },
  });
  await h.admin.call('putKey', { body: { provider: 'vllm', key: 'sk-test-vllm-key-4444EFGH' } });
  await h.admin.call('putPrice', { params: { model: 'llama-3.1-70b' }, body: { input: 1, output: 10 } });
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

describe("a stream asked for with a lax boolean is metered from the server's usage", () => {
  it.each([
    ['"true"', 'true'],
    ['1', 1],
    ['"yes"', 'yes'],
  ])('stream: %s', async (name, stream) => {
    const tool = `lax-stream-${String(stream)}`;
    const token = await h.tool(tool);
    const res = await fetch(`${h.core.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'vllm/llama-3.1-70b',
        stream,
        max_tokens: 1000,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    // The client did not ask for usage: the chunk Shimmy asked for is not passed on.
    expect(text).not.toContain('"usage"');
    const records = () => h.records(tool);
    await expect.poll(async () => (await records()).length).toBe(1);
    const [record] = await records();
    // The server's count: 8 × 1e-6 + 900 × 10e-6 = $0.009008. On main, Shimmy's estimate from
    // "hi" and "ok", a few millionths of a dollar, marked estimated.
    expect(record!.streamed).toBe(true);
    expect(record!.estimated).toBeFalsy();
    expect(record!.costUsd).toBeCloseTo(0.009008, 9);
  });
});
