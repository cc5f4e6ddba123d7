// A request with two Anthropic web search tools (say one per allowed domain list) whose max_uses
// together do not fit the budget was refused, though fewer searches would: admit lowered max_uses
// only where there was one web search tool (input15, 2026-11-29). Now the searches the budget pays
// for are shared out across the tools, each keeping at least one.
// Prices: claude-sonnet-4-5 $3 in / $15 out per 1M, window 200,000, web search $10 per 1,000
// (docs.claude.com/en/docs/about-claude/pricing and .../tool-use/web-search-tool, read 2026-11-29).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { startJsonProvider, type JsonProvider } from '../support/json-provider.js';

let h: Harness;
let provider: JsonProvider;
const received: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  h = await startHarness();
  // Runs every search each web search tool's max_uses allows.
  provider = await startJsonProvider((_, b) => {
    received.push(b);
    const searches = (b.tools as Array<{ max_uses?: number }>).reduce(
      (n, t) => n + Number(t.max_uses ?? 0),
      0,
    );
    return {
      id: 'msg_t',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'ok' }],
      stop_reason: 'max_tokens',
      usage: {
        input_tokens: 20,
        output_tokens: b.max_tokens,
        server_tool_use: { web_search_requests: searches },
      },
    };
  });
  await h.point('anthropic', provider.url);
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

const tools = [
  { type: 'web_search_20250305', name: 'web_search', max_uses: 10, allowed_domains: ['a.example'] },
  { type: 'web_search_20250305', name: 'web_search', max_uses: 10, allowed_domains: ['b.example'] },
];

const ask = (token: string) =>
  fetch(`${h.core.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': token, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      tools,
      messages: [{ role: 'user', content: 'search the news' }],
    }),
  });

it('two web search tools of max_uses 10 on $0.65/day: lowered to 3 searches between them', async () => {
  // Named: 20 × $0.01 + 1,024 × 15e-6 + the window's 200,000 × 3e-6 = $0.81536, past $0.65:
  // refused before. Three searches leave room for the answer ($0.03 + $0.01536 + $0.60 =
  // $0.64536); four do not ($0.65536). Recorded: 20 × 3e-6 + 1,024 × 15e-6 + 3 × $0.01 = $0.04542.
  const token = await h.tool('two-searches', { dailyUsd: 0.65 });
  received.length = 0;
  const res = await ask(token);
  await res.arrayBuffer();
  expect(res.status).toBe(200);
  expect(res.headers.get('x-shimmy-max-tool-calls-capped')).toBe('3');
  const sent = (received[0]!.tools as Array<{ max_uses: number; allowed_domains: string[] }>).map((t) => [
    t.max_uses,
    t.allowed_domains[0],
  ]);
  expect(sent).toEqual([
    [2, 'a.example'],
    [1, 'b.example'],
  ]);
  await expect.poll(() => h.spentBy('two-searches')).toBeGreaterThan(0);
  expect(await h.spentBy('two-searches')).toBeCloseTo(0.04542, 8);
});

it('refused where not even one search per tool fits', async () => {
  // Two searches (one each): $0.02 + $0.01536 + $0.60 = $0.63536, past $0.63.
  const token = await h.tool('two-searches-none', { dailyUsd: 0.63 });
  received.length = 0;
  const res = await ask(token);
  await res.arrayBuffer();
  expect(res.status).toBe(429);
  expect(received).toHaveLength(0);
});
