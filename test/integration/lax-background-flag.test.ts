// A Responses request with `background: true` answers at once with a queued response that carries
// no usage, and is billed when it finishes: Shimmy cannot price it, so a budgeted tool is refused
// it (route/billable-endpoints.ts). The check read only the JSON `true`. A server that validates
// with pydantic in lax mode (vLLM serves the Responses API, background mode included) reads
// "true", 1, "yes" … as true too, as Shimmy already assumes for `stream` (lax-stream-flag.test.ts):
// `background: "true"` went out, was recorded at an estimate of its empty answer, and ran its
// 900 tokens in the background (found by red14, 2026-11-29).
// Prices: llama-3.1-70b on a self-hosted server has no catalog price; the user sets $1 in / $10 out
// per 1M (as lax-stream-flag.test.ts does).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let provider: http.Server;
let billedUsd = 0;

/** pydantic's lax bool. */
const laxTrue = (v: unknown) =>
  v === true ||
  v === 1 ||
  (typeof v === 'string' && ['true', '1', 'yes', 'on', 't', 'y'].includes(v.toLowerCase()));

beforeAll(async () => {
  provider = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const b = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    // 8 input tokens and 900 output, billed whether the answer is waited for or run in the background.
    billedUsd += 8 * 1e-6 + 900 * 10e-6;
    const background = laxTrue(b.background);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: 'resp_bg',
        object: 'response',
        created_at: 1,
        model: 'llama-3.1-70b',
        status: background ? 'queued' : 'completed',
        background,
        output: background
          ? []
          : [
              {
                type: 'message',
                id: 'msg_1',
                status: 'completed',
                role: 'assistant',
                content: [{ type: 'output_text', text: 'ok', annotations: [] }],
              },
            ],
        usage: background ? null : { input_tokens: 8, output_tokens: 900, total_tokens: 908 },
      }),
    );
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

it.each([
  ['"true"', 'true'],
  ['1', 1],
  ['"yes"', 'yes'],
])('background: %s is refused for a budgeted tool', async (_, background) => {
  const token = await h.tool(`lax-background-${String(background)}`, { dailyUsd: 0.01 });
  const before = billedUsd;
  const res = await fetch(`${h.core.url}/v1/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'vllm/llama-3.1-70b',
      background,
      max_output_tokens: 900,
      input: 'hi',
    }),
  });
  await res.text();
  // Before: 200, and 8 × 1e-6 + 900 × 10e-6 = $0.009008 billed in the background, recorded as an
  // estimate of "hi" and nothing.
  expect(res.status, `provider billed $${(billedUsd - before).toFixed(6)}`).toBe(403);
  expect(billedUsd - before).toBe(0);
});
