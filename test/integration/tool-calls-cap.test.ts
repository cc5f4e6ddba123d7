// A `max_tool_calls` the client names is lowered to what a USD budget can pay for, as an output
// limit is (README, Budgets), and said so in `x-shimmy-max-tool-calls-capped`; the request is
// refused only when not even one call fits. Before, it was reserved as named and refused whenever
// that did not fit.
// Prices (openai.com/api/pricing, read 2026-11-29; the bundled @pydantic/genai-prices entries):
//   gpt-5 $1.25 in / $10 out per 1M; Responses web search $10 per 1,000 calls ($0.01 each).
//   gpt-image-1 $5 text in, $40 image out per 1M; a high-quality 1024×1024 image is 4,160 image
//   tokens (OpenAI image-generation guide, "Cost and latency", checked 2026-11-27): $0.1664.
// Search results are billed as input as well, bounded only by the context window: since input15
// (2026-11-29) a request with a web search tool is reserved with the window's input (gpt-5's
// 400,000 at $1.25 per 1M: $0.50; claude-sonnet-4-5's 200,000 at $3: $0.60; limits/
// tool-content-input.ts), so the search budgets below are that much above the first ones.
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import {
  harnessOnJsonProvider,
  imageGenUsage,
  messagesAnswer,
  postRead,
  responsesAnswer,
} from '../support/json-provider.js';

let h: Harness;
const received: Array<Record<string, unknown>> = [];

// Reads 8 input tokens, writes max_output_tokens, and runs every call max_tool_calls allows with
// its first tool (an image: 50 prompt tokens, 4,160 image tokens).
harnessOnJsonProvider(
  ['openai', 'anthropic'],
  (started) => (h = started),
  (path, b) => {
    received.push(b);
    // Messages: writes max_tokens and runs every search its web search tool's max_uses allows.
    if (path === '/v1/messages') {
      const search = (b.tools as Array<{ max_uses?: number }>)[0]!;
      return messagesAnswer({
        id: 'msg_x',
        stop_reason: 'max_tokens',
        model: String(b.model),
        input: 20,
        outputTokens: Number(b.max_tokens),
        server_tool_use: { web_search_requests: Number(search.max_uses) },
      });
    }
    const tool = (b.tools as Array<{ type: string }>)[0]!.type;
    const calls = Number(b.max_tool_calls);
    const type = tool === 'image_generation' ? 'image_generation_call' : 'web_search_call';
    return responsesAnswer({
      id: 'resp_x',
      status: 'completed',
      model: b.model,
      output: Array.from({ length: calls }, (_, i) => ({ type, id: `call_${i}`, status: 'completed' })),
      ...(tool === 'image_generation' ? { tool_usage: imageGenUsage(50 * calls, 4160 * calls) } : {}),
      input: 8,
      outputTokens: Number(b.max_output_tokens),
    });
  },
);

const ask = (token: string, tools: unknown[], maxToolCalls: number | string) =>
  postRead(h, '/v1/responses', token, {
    model: 'gpt-5',
    service_tier: 'default',
    max_output_tokens: 1000,
    max_tool_calls: maxToolCalls,
    tools,
    input: 'hi',
  });

it('max_tool_calls 20 with web search on $0.65/day is lowered to 14', async () => {
  // Named: 20 × $0.01 + $0.50 + 1,000 × 10e-6 = $0.71, past $0.65: refused before. The most calls
  // that leave room for the 1,000-token answer: 14 ($0.14 + $0.50 + $0.01 = $0.65; 15 leave
  // $0.01 less). Recorded $0.14 + 8 × 1.25e-6 + $0.01 = $0.15001.
  const token = await h.tool('search-capped', { dailyUsd: 0.65 });
  received.length = 0;
  const res = await ask(token, [{ type: 'web_search' }], 20);
  expect(res.status).toBe(200);
  expect(received[0]).toMatchObject({ max_tool_calls: 14, max_output_tokens: 1000 });
  expect(res.headers.get('x-shimmy-max-tool-calls-capped')).toBe('14');
  await expect.poll(() => h.spentBy('search-capped')).toBeGreaterThan(0);
  expect(await h.spentBy('search-capped')).toBeCloseTo(0.15001, 8);
});

it('max_tool_calls 4 with the image tool on $0.40/day is lowered to 2', async () => {
  // Named: 4 × $0.1664 = $0.6656 of images alone: refused before. Two images ($0.3328) leave
  // $0.0672 for the tokens and their prompts (1,000 × (10e-6 + 5e-6) + $0.00001 = $0.01501).
  // Recorded: 2 × (50 × 5e-6 + $0.1664) + $0.01001 = $0.3333 + $0.01001 = $0.34331.
  const token = await h.tool('paint-capped', { dailyUsd: 0.4 });
  received.length = 0;
  const res = await ask(token, [{ type: 'image_generation', size: '1024x1024', quality: 'high' }], 4);
  expect(res.status).toBe(200);
  expect(received[0]).toMatchObject({ max_tool_calls: 2 });
  expect(res.headers.get('x-shimmy-max-tool-calls-capped')).toBe('2');
  await expect.poll(() => h.spentBy('paint-capped')).toBeGreaterThan(0);
  expect(await h.spentBy('paint-capped')).toBeCloseTo(0.34331, 8);
});

it('max_tool_calls "20" (a string, as a lax server reads it) on $0.65/day is lowered to 14, a number', async () => {
  // As the 20 above: $0.71 named, 14 calls fit. Read as unbounded before, it was replaced by 8
  // (a "5" too: more calls than the client allowed), without the header.
  const token = await h.tool('search-lax', { dailyUsd: 0.65 });
  received.length = 0;
  const res = await ask(token, [{ type: 'web_search' }], '20');
  expect(res.status).toBe(200);
  expect(received[0]).toMatchObject({ max_tool_calls: 14 });
  expect(res.headers.get('x-shimmy-max-tool-calls-capped')).toBe('14');
});

it('a named max_tool_calls that fits goes as sent, without the header', async () => {
  // 3 × $0.01 + $0.50 + $0.01 = $0.54, inside $0.65.
  const token = await h.tool('search-fits', { dailyUsd: 0.65 });
  received.length = 0;
  const res = await ask(token, [{ type: 'web_search' }], 3);
  expect(res.status).toBe(200);
  expect(received[0]).toMatchObject({ max_tool_calls: 3 });
  expect(res.headers.get('x-shimmy-max-tool-calls-capped')).toBeNull();
});

it('refused when not even one call fits', async () => {
  // One image $0.1664 alone is past $0.10.
  const token = await h.tool('paint-none', { dailyUsd: 0.1 });
  received.length = 0;
  const res = await ask(token, [{ type: 'image_generation', size: '1024x1024', quality: 'high' }], 4);
  expect(res.status).toBe(429);
  expect(received).toHaveLength(0);
});

it("an Anthropic web search tool's max_uses 8 on $0.65/day is lowered to 3", async () => {
  // claude-sonnet-4-5 $3 in / $15 out per 1M, web search $10 per 1,000 (claude.com/pricing, read
  // 2026-11-29). Named: 8 × $0.01 + 1,024 × 15e-6 + $0.60 = $0.69536, past $0.65: refused before.
  // Three searches leave room for the 1,024-token answer ($0.03 + $0.01536 + $0.60); four do not
  // ($0.65536). Recorded: 20 × 3e-6 + 1,024 × 15e-6 + 3 × $0.01 = $0.04542.
  const token = await h.tool('claude-search', { dailyUsd: 0.65 });
  received.length = 0;
  const res = await postRead(h, '/v1/messages', token, {
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 8 }],
    messages: [{ role: 'user', content: 'search the news' }],
  });
  expect(res.status).toBe(200);
  expect(received[0]).toMatchObject({ tools: [{ type: 'web_search_20250305', max_uses: 3 }] });
  expect(res.headers.get('x-shimmy-max-tool-calls-capped')).toBe('3');
  await expect.poll(() => h.spentBy('claude-search')).toBeGreaterThan(0);
  expect(await h.spentBy('claude-search')).toBeCloseTo(0.04542, 8);
});
