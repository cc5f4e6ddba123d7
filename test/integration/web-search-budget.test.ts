// Anthropic's server-side web search bills each search on top of the tokens, up to the tool's
// `max_uses`. Under a USD budget the searches are reserved with the tokens, and a web search tool
// without max_uses is sent with one, so an answer cannot search past its reservation (found by
// review, 2026-11-29: max_uses 10 on a $0.05/day budget was admitted and recorded $0.115381).
// Each search's results are billed as input too, bounded only by the context window: since
// input15 (2026-11-29) a request with a web search tool is reserved with 200,000 input tokens,
// $0.60 more than before (limits/tool-content-input.ts), so each budget below is $0.60 above the
// one these cases were first written with; what is recorded is what the provider here bills.
// Prices: claude-sonnet-4-5 $3 in / $15 out per 1M (anthropic.com/pricing, read 2026-11-27); web
// search $10 per 1,000 searches (docs.claude.com/en/docs/agents-and-tools/tool-use/web-search-tool,
// read 2026-11-29).
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { harnessOnJsonProvider, messagesAnswer, postRead } from '../support/json-provider.js';

let h: Harness;
const received: Array<Record<string, unknown>> = [];

// Reads 7 input tokens, writes to max_tokens, and runs every search its web search tool allows.
harnessOnJsonProvider(
  ['anthropic'],
  (started) => (h = started),
  (_, b) => {
    received.push(b);
    const tools = b.tools as Array<Record<string, unknown>> | undefined;
    const search = tools?.find((t) => String(t.type).startsWith('web_search_'));
    return messagesAnswer({
      id: 'msg_x',
      stop_reason: 'max_tokens',
      model: String(b.model),
      input: 7,
      outputTokens: Number(b.max_tokens),
      ...(search ? { server_tool_use: { web_search_requests: Number(search.max_uses ?? 25) } } : {}),
    });
  },
);

const ask = (token: string, tool: Record<string, unknown>) =>
  postRead(h, '/v1/messages', token, {
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    tools: [tool],
    messages: [{ role: 'user', content: 'hi' }],
  });

it('max_uses 10 is lowered to the searches the budget can pay for', async () => {
  // 10 searches alone are 10 × $0.01 = $0.10, past the $0.05 left beside the window's $0.60:
  // refused until round 14. Now sent with the most that leave room for the 1,024-token answer: 3
  // (0.60 + 0.01536 + 0.03 = $0.64536 reserved; 4 would be $0.65536), and
  // x-shimmy-max-tool-calls-capped says so. Billed 0.000021 + 0.01536 + 0.03 = $0.045381.
  const token = await h.tool('search-tight', { dailyUsd: 0.65 });
  const r = await ask(token, { type: 'web_search_20250305', name: 'web_search', max_uses: 10 });
  expect(r.status).toBe(200);
  expect(received.at(-1)!.tools).toEqual([{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }]);
  await expect.poll(() => h.spentBy('search-tight')).toBeGreaterThan(0);
  expect(await h.spentBy('search-tight')).toBe(0.045381);
});

it('refused where not even one search fits', async () => {
  // One search and the 1,024-token answer: 0.60 + 0.01536 + 0.01 = $0.62536, past $0.62.
  const token = await h.tool('search-none', { dailyUsd: 0.62 });
  const before = received.length;
  const r = await ask(token, { type: 'web_search_20250305', name: 'web_search', max_uses: 10 });
  expect(r.status).toBe(429);
  expect(r.text).toMatch(/budget/i);
  expect(received.length).toBe(before);
  expect(await h.spentBy('search-none')).toBe(0);
});

it('max_uses 10 fits a $0.20 budget and is recorded with its searches', async () => {
  // Reserved 0.60 + 0.01536 + 0.1 = $0.71536; billed 7 × 3e-6 + 1,024 × 15e-6 + 10 × 0.01 =
  // 0.000021 + 0.01536 + 0.1 = $0.115381.
  const token = await h.tool('search-room', { dailyUsd: 0.8 });
  const r = await ask(token, { type: 'web_search_20250305', name: 'web_search', max_uses: 10 });
  expect(r.status).toBe(200);
  await expect.poll(() => h.spentBy('search-room')).toBeGreaterThan(0);
  expect(await h.spentBy('search-room')).toBe(0.115381);
  // A second finds $0.684619 left: sent with 6 searches ($0.67536 reserved; 7 would be $0.68536),
  // and the spend stays inside the budget ($0.190762).
  expect((await ask(token, { type: 'web_search_20250305', name: 'web_search', max_uses: 10 })).status).toBe(
    200,
  );
  expect(received.at(-1)!.tools).toEqual([{ type: 'web_search_20250305', name: 'web_search', max_uses: 6 }]);
  await expect.poll(() => h.spentBy('search-room')).toBeGreaterThan(0.12);
  expect(await h.spentBy('search-room')).toBe(0.190762);
});

it('a web search tool without max_uses is sent with 8 (reserved) under a budget', async () => {
  // Without one the provider here runs 25 searches ($0.25). With 8, reserved 0.60 + 0.01536 + 0.08 =
  // $0.69536, inside $0.70; billed 0.000021 + 0.01536 + 0.08 = $0.095381.
  const token = await h.tool('search-unbounded', { dailyUsd: 0.7 });
  const r = await ask(token, { type: 'web_search_20250305', name: 'web_search' });
  expect(r.status).toBe(200);
  expect(received.at(-1)!.tools).toEqual([{ type: 'web_search_20250305', name: 'web_search', max_uses: 8 }]);
  await expect.poll(() => h.spentBy('search-unbounded')).toBeGreaterThan(0);
  expect(await h.spentBy('search-unbounded')).toBe(0.095381);
});

it('without a budget the request goes as sent', async () => {
  const token = await h.tool('search-free');
  const r = await ask(token, { type: 'web_search_20250305', name: 'web_search' });
  expect(r.status).toBe(200);
  expect(received.at(-1)!.tools).toEqual([{ type: 'web_search_20250305', name: 'web_search' }]);
});
