// An answer Shimmy bounded for one tool's budget must not be replayed from the cache to a tool
// whose request was not bounded: the key is the client's body, and the answer is what the bounded
// body got. Output limits lowered by a budget were kept out of the cache (x-shimmy-max-tokens-capped);
// the web searches a budget bounds were not when the request named no bound of its own: Shimmy
// wrote `max_uses` into each web search tool, and that answer — fewer searches than the request
// would otherwise run — was replayed to every tool sending the same body (found by red15,
// 2026-11-29). Such an answer is not stored.
// Prices: claude-haiku-4-5 $1 in / $5 out per 1M tokens; web search $10 per 1,000
// (docs.claude.com/en/docs/about-claude/pricing, read 2026-11-29).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.admin.call('patchSettings', { body: { cacheEnabled: true } });
});
afterAll(() => h.close());

const body = JSON.stringify({
  model: 'claude-haiku-4-5',
  max_tokens: 100,
  temperature: 0,
  tools: [{ type: 'web_search_20250305', name: 'web_search' }],
  messages: [{ role: 'user', content: 'What happened today?' }],
});

const ask = (token: string) =>
  fetch(`${h.core.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': token, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body,
  });

const sentUses = () =>
  h.upstream.received
    .filter((r) => r.path === '/v1/messages')
    .map((r) => (r.body as { tools: Array<{ max_uses?: number }> }).tools[0]!.max_uses ?? null);

it('a web search answer bounded for a budget is not replayed to a tool without one', async () => {
  const budgeted = await h.tool('searches-bounded', { dailyUsd: 0.5 });
  const free = await h.tool('searches-free', {});
  const a = await ask(budgeted);
  await a.text();
  // The budgeted request went out with the bound Shimmy wrote.
  expect(sentUses()).toEqual([8]);
  const b = await ask(free);
  await b.text();
  // Before: b was a cache hit with a's answer (x-shimmy-cache: hit, upstream asked once).
  expect(b.headers.get('x-shimmy-cache')).toBe('miss');
  expect(sentUses()).toEqual([8, null]);
});
