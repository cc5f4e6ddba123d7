// `stream` written as something other than the JSON `true` — "true", 1, "yes" — to a server that
// validates with pydantic in lax mode (vLLM and other OpenAI-compatible servers): it streams.
// Shimmy adds `stream_options.include_usage` only to a request it reads as streaming, and such a
// server sends the usage chunk only when asked (vLLM: `stream_options.include_usage`), so the
// answer was recorded as Shimmy's estimate from the visible text — without the reasoning the
// model did not show — instead of the server's own count.
// Prices: llama-3.1-70b on a self-hosted server has no catalog price; the user sets $1 in /
// $10 out per 1M (as reservation-gaps.test.ts does).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let provider: http.Server;

/** pydantic's lax bool: what vLLM's request model reads as `true`. */
const laxTrue = (v: unknown) =>
  v === true ||
  v === 1 ||
  (typeof v === 'string' && ['true', '1', 'yes', 'on', 't', 'y'].includes(v.toLowerCase()));

beforeAll(async () => {
  provider = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const b = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    // 8 prompt tokens; 900 completion tokens, all but one of them reasoning the answer does not show.
    const usage = { prompt_tokens: 8, completion_tokens: 900, total_tokens: 908 };
    const base = { id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 1, model: 'llama-3.1-70b' };
    if (!laxTrue(b.stream)) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(
        JSON.stringify({
          ...base,
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage,
        }),
      );
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const event = (v: unknown) => res.write(`data: ${JSON.stringify(v)}\n\n`);
    event({
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: 'ok' }, finish_reason: null }],
    });
    event({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    const options = b.stream_options as { include_usage?: unknown } | undefined;
    if (options?.include_usage === true) event({ ...base, choices: [], usage });
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  h = await startHarness();
  await h.admin.call('addProvider', { body: { name: 'vllm', kind: 'openai', baseUrl: `${url}/v1` } });
  await h.admin.call('putKey', { body: { provider: 'vllm', key: 'sk-test-vllm-key-4444EFGH' } });
  await h.admin.call('putPrice', { params: { model: 'llama-3.1-70b' }, body: { input: 1, output: 10 } });
});
afterAll(async () => {
  await h.close();
  await new Promise<void>((r) => provider.close(() => r()));
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
    const records = async () => (await h.admin.call('listRequests', { query: { tool } })).records;
    await expect.poll(async () => (await records()).length).toBe(1);
    const [record] = await records();
    // The server's count: 8 × 1e-6 + 900 × 10e-6 = $0.009008. On main, Shimmy's estimate from
    // "hi" and "ok", a few millionths of a dollar, marked estimated.
    expect(record!.streamed).toBe(true);
    expect(record!.estimated).toBeFalsy();
    expect(record!.costUsd).toBeCloseTo(0.009008, 9);
  });
});
