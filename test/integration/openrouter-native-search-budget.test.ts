// OpenRouter's web search, asked for with the web plugin or `:online` after the model's name ("a
// shortcut for using the web plugin, and is exactly equivalent to" it), "is powered by native search
// for Anthropic, OpenAI, Perplexity, and xAI models", whose "pricing is passed through directly from
// the provider"; for other models Exa's results at "$4 per 1000 results ... max_results set to 5"
// (openrouter.ai/docs/features/web-search, read 2026-11-30). Shimmy reserved Exa's $0.02 for every
// plugin request, though a native search is billed per search at the provider's price with no
// bound the request can set, and priced no `:online` name: the catalog lists only the base model
// (found by round 20's review, 2026-11-30).
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { postRead } from '../support/json-provider.js';
import { harnessOnOpenRouter, openRouterAnswer } from '../support/openrouter-route.js';

let h: Harness;
let billedUsd = 0;

const PROMPT = 3000;
const OUT = 100;

harnessOnOpenRouter(
  (started) => (h = started),
  (_, b) => {
    const model = String(b.model).replace(/:online$/, '');
    const plugin = (b.plugins as Array<{ max_results?: number; engine?: string }> | undefined)?.[0];
    let cost: number;
    if (model.startsWith('anthropic/') && plugin?.engine !== 'exa')
      // claude-sonnet-4.5 $3 in / $15 out per 1M and Anthropic's web search $10 per 1,000
      // (docs.claude.com/en/docs/about-claude/pricing, read 2026-11-29), passed through:
      // 3,000 × 3 + 100 × 15 = 10,500 per 1M → $0.0105, + 8 searches (as many as the model
      // chose to run) × $0.01 = $0.0905.
      cost = 0.0905;
    // Exa: the plugin's results at $0.004 each; tokens as the case says.
    else if (model.startsWith('anthropic/')) cost = 0.0105 + (plugin?.max_results ?? 5) * 0.004;
    // meta-llama/llama-3.1-8b-instruct $0.02 in / $0.03 out per 1M (as in
    // openrouter-web-plugin-budget.test.ts): 3,000 × 0.02 + 100 × 0.03 = 63 per 1M → $0.000063,
    // + 5 × $0.004 = $0.020063.
    else cost = 0.020063;
    billedUsd += cost;
    return openRouterAnswer({
      id: 'gen-s',
      model,
      finish_reason: 'length',
      input: PROMPT,
      outputTokens: OUT,
      cost,
    });
  },
);

const message = (text: string): string => (JSON.parse(text) as { error: { message: string } }).error.message;

const ask = (token: string, model: string, plugins?: unknown[]) =>
  postRead(h, '/v1/chat/completions', token, {
    model: `openrouter/${model}`,
    max_tokens: OUT,
    ...(plugins ? { plugins } : {}),
    messages: [{ role: 'user', content: 'what is new today?' }],
  });

it("a Claude model's native search, which nothing bounds, is refused under a budget, naming Exa", async () => {
  // Reserved at its tokens and Exa's $0.02, both were admitted on $0.10 and billed 2 × $0.0905 =
  // $0.181.
  const token = await h.tool('or-native', { dailyUsd: 0.1 });
  const before = billedUsd;
  const all = await Promise.all([1, 2].map(() => ask(token, 'anthropic/claude-sonnet-4.5', [{ id: 'web' }])));
  expect(billedUsd - before).toBeLessThanOrEqual(0.1);
  expect(all.map((r) => r.status)).toEqual([403, 403]);
  expect(message(all[0]!.text)).toContain('"engine": "exa"');
  // `:online` is the same request.
  const online = await ask(token, 'anthropic/claude-sonnet-4.5:online');
  expect(online.status).toBe(403);
  expect(message(online.text)).toContain('"engine": "exa"');
});

it('the openrouter:web_search / web_fetch server tools, called as often as the model likes, are refused under a budget', async () => {
  // The stand-in bills a Claude request without Exa its 8 native searches: $0.0905 (above). With
  // the server tool, reserved at its tokens alone, both were admitted on $0.10 and billed $0.181
  // (red24, 2026-11-30). Refused, naming the way to pass; a tool allowed unpriced models passes.
  const token = await h.tool('or-server-tools', { dailyUsd: 0.1 });
  const before = billedUsd;
  for (const type of ['openrouter:web_search', 'openrouter:web_fetch']) {
    const all = await Promise.all(
      [1, 2].map(() =>
        postRead(h, '/v1/chat/completions', token, {
          model: 'openrouter/anthropic/claude-sonnet-4.5',
          max_tokens: OUT,
          tools: [{ type }],
          messages: [{ role: 'user', content: 'what is new today?' }],
        }),
      ),
    );
    expect(all.map((r) => r.status)).toEqual([403, 403]);
    expect(message(all[0]!.text)).toContain('--allow-unpriced');
    // Named as what it is (the server tool), with the plugin that can be reserved as the way out.
    expect(message(all[0]!.text)).toContain(`"${type}"`);
    expect(message(all[0]!.text)).toContain('"engine": "exa"');
  }
  expect(billedUsd - before).toBe(0);
  // Its results are reserved at the context window (limits/tool-content-input.ts): room for that.
  const open = await h.tool('or-server-tools-open', { dailyUsd: 10, allowUnpriced: true });
  const r = await postRead(h, '/v1/chat/completions', open, {
    model: 'openrouter/anthropic/claude-sonnet-4.5',
    max_tokens: OUT,
    tools: [{ type: 'openrouter:web_search' }],
    messages: [{ role: 'user', content: 'what is new today?' }],
  });
  expect(r.status, r.text).toBe(200);
});

it('the same model with the Exa engine is reserved at its results and admitted', async () => {
  // 10,500 per 1M → $0.0105 + 2 × $0.004 = $0.0185. The results' tokens are reserved at the
  // model's context window (only it bounds them: limits/tool-content-input.ts), up to $6 of input
  // for a 1M-token Claude window past its 200K tier: a budget with room for that.
  const token = await h.tool('or-exa', { dailyUsd: 10 });
  const r = await ask(token, 'anthropic/claude-sonnet-4.5', [{ id: 'web', engine: 'exa', max_results: 2 }]);
  expect(r.status, r.text).toBe(200);
  await expect.poll(() => h.spentBy('or-exa')).toBe(0.0185);
});

it('an `:online` name is priced as its model plus the results: room for one of two', async () => {
  // Unpriced, both were refused. Priced as meta-llama/llama-3.1-8b-instruct with Exa's $0.02
  // reserved: the first fits $0.035, the second finds less than $0.015 left. Billed $0.020063.
  const token = await h.tool('or-online', { dailyUsd: 0.035 });
  const all = await Promise.all([1, 2].map(() => ask(token, 'meta-llama/llama-3.1-8b-instruct:online')));
  expect(all.map((r) => r.status).sort()).toEqual([200, 429]);
  await expect.poll(() => h.spentBy('or-online')).toBe(0.020063);
});
