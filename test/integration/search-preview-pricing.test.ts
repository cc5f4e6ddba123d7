// gpt-4o-mini-search-preview and gpt-4o-search-preview run a web search on every Chat Completions
// request, billed per call apart from the tokens: "Web search preview (non-reasoning models):
// $25 / 1k calls, search content tokens are free" (openai.com/api/pricing, as quoted at
// community.openai.com/t/search-web-using-openai-api/1363698 and modelcostwatch.com, last checked
// 2026-03-12; read 2026-11-29). Tokens: gpt-4o-mini-search-preview $0.15 in / $0.60 out per 1M,
// gpt-4o-search-preview $2.50 / $10 (the bundled @pydantic/genai-prices entries: the first is
// matched by its `gpt-4o-mini` entry, whose web search rate is the Responses tool's $10 / 1k; the
// second's entry has no web search rate). An answer says nothing of the search but its
// url_citation annotations, and Shimmy counted none: each request was recorded at its tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { startJsonProvider, type JsonProvider } from '../support/json-provider.js';

let h: Harness;
let provider: JsonProvider;

beforeAll(async () => {
  h = await startHarness();
  provider = await startJsonProvider((_, b) => ({
    id: 'chatcmpl-x',
    object: 'chat.completion',
    created: 1,
    model: b.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: 'It is sunny [example.com].',
          annotations: [
            {
              type: 'url_citation',
              url_citation: { url: 'https://example.com/', title: 'x', start_index: 12, end_index: 25 },
            },
          ],
        },
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 8, completion_tokens: 100, total_tokens: 108 },
  }));
  await h.point('openai', provider.url);
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

describe('a Chat Completions search model is charged its search', () => {
  it.each([
    // 8 × 0.15e-6 + 100 × 0.60e-6 = $0.0000612 of tokens, + $0.025 for the search.
    ['gpt-4o-mini-search-preview', 0.0250612],
    // 8 × 2.5e-6 + 100 × 10e-6 = $0.00102 of tokens, + $0.025 for the search.
    ['gpt-4o-search-preview', 0.02602],
  ])('%s', async (model, usd) => {
    const tool = `searching-${model}`;
    const token = await h.tool(tool);
    const res = await fetch(`${h.core.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model,
        web_search_options: {},
        messages: [{ role: 'user', content: 'weather?' }],
      }),
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const records = () => h.records(tool);
    await expect.poll(async () => (await records()).length).toBe(1);
    expect((await records())[0]!.costUsd).toBeCloseTo(usd, 10);
  });

  it('and its search is reserved: refused on a $0.02/day budget', async () => {
    // Tokens: 8 × 0.15e-6 + 100 × 0.60e-6, about $0.0001 reserved at most for a short answer; the
    // search alone is $0.025, past $0.02. Reserved with it, it is refused and nothing is spent.
    const token = await h.tool('searching-budget', { dailyUsd: 0.02 });
    const res = await fetch(`${h.core.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini-search-preview',
        max_completion_tokens: 100,
        messages: [{ role: 'user', content: 'weather?' }],
      }),
    });
    await res.arrayBuffer();
    expect(res.status).toBe(429);
  });
});
