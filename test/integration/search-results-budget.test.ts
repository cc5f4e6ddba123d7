// What a web search finds enters the conversation and is billed as input, though the request body
// never held it. Anthropic: "Web search results retrieved throughout a conversation are counted as
// input tokens" (docs.claude.com/en/docs/agents-and-tools/tool-use/web-search-tool, read
// 2026-11-29), bounded by nothing the tool names. OpenAI's Responses `web_search`: "$10 / 1k calls
// + search content tokens billed at model rates", except gpt-4o-mini and gpt-4.1-mini, billed "a
// fixed block of 8,000 input tokens per call"; `web_search_preview` on non-reasoning models
// (gpt-4o, gpt-4.1): $25 / 1k calls, content tokens free (openai.com/api/pricing as quoted by
// modelcostwatch.com/openai/tool-costs/web-search, checked 2026-03-12, and OpenAI staff at
// community.openai.com/t/search-web-using-openai-api/1363698; read 2026-11-29).
// Shimmy reserved each search's fee and the body's input, not the results (input15, 2026-11-29).
// Prices (read 2026-11-29): claude-sonnet-4-5 $3 in / $15 out per 1M, web search $10 per 1,000
// (docs.claude.com/en/docs/about-claude/pricing); gpt-5 $1.25 / $10 per 1M, gpt-4o-mini $0.15 /
// $0.60 per 1M, web search $10 per 1,000 calls (openai.com/api/pricing).
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import {
  harnessOnJsonProvider,
  messagesAnswer,
  postStatus,
  responsesAnswer,
} from '../support/json-provider.js';

/** Tokens one search brings in where the provider bills what it found. */
const RESULTS = 60_000;
/** gpt-4o-mini / gpt-4.1-mini `web_search`: billed this many input tokens per call, whatever it found. */
const MINI_BLOCK = 8_000;

let h: Harness;
let billedUsd = 0;

harnessOnJsonProvider(
  ['anthropic', 'openai'],
  (x) => (h = x),
  (path, b) => {
    const tools = (b.tools ?? []) as Array<Record<string, unknown>>;
    if (path.endsWith('/messages')) {
      // Runs every search max_uses allows; each brings RESULTS tokens in.
      const searches = tools
        .filter((t) => String(t.type).startsWith('web_search_'))
        .reduce((n, t) => n + Number(t.max_uses ?? 8), 0);
      const input = 7 + searches * RESULTS;
      const output = Number(b.max_tokens);
      billedUsd += input * 3e-6 + output * 15e-6 + searches * 0.01;
      return messagesAnswer({
        id: 'msg_s',
        stop_reason: 'max_tokens',
        input,
        outputTokens: output,
        server_tool_use: { web_search_requests: searches },
      });
    }
    // Responses: runs every call max_tool_calls allows.
    const calls = tools.length > 0 ? Number(b.max_tool_calls ?? 8) : 0;
    const mini = String(b.model) === 'gpt-4o-mini';
    const input = 8 + calls * (mini ? MINI_BLOCK : RESULTS);
    const output = Number(b.max_output_tokens);
    billedUsd += mini
      ? input * 0.15e-6 + output * 0.6e-6 + calls * 0.01
      : input * 1.25e-6 + output * 10e-6 + calls * 0.01;
    return responsesAnswer({
      id: 'resp_s',
      status: 'incomplete',
      model: b.model,
      output: [
        ...Array.from({ length: calls }, (_, i) => ({
          type: 'web_search_call',
          id: `ws_${i}`,
          status: 'completed',
        })),
        {
          type: 'message',
          id: 'msg_r',
          status: 'incomplete',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'ok', annotations: [] }],
        },
      ],
      input,
      outputTokens: output,
    });
  },
);

const claude = (token: string) =>
  postStatus(h, '/v1/messages', token, {
    model: 'claude-sonnet-4-5',
    max_tokens: 100,
    tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 1 }],
    messages: [{ role: 'user', content: 'What happened today?' }],
  });

const responses = (token: string, model: string, tool: string, calls: number) =>
  postStatus(h, '/v1/responses', token, {
    model,
    service_tier: 'default',
    max_output_tokens: 100,
    max_tool_calls: calls,
    tools: [{ type: tool }],
    input: 'What happened today?',
  });

async function spend(send: () => Promise<number>, n: number) {
  const before = billedUsd;
  const statuses = await Promise.all(Array.from({ length: n }, send));
  return { statuses, billed: billedUsd - before };
}

it('Anthropic: five searching requests at once on a $0.10/day budget', async () => {
  // Each billed 60,007 × 3e-6 + 100 × 15e-6 + $0.01 = $0.191521; before, each was reserved at its
  // own ~10 input tokens, the answer and the search fee (~$0.0115), so all five went: $0.957605.
  // Reserved at the context window (200,000 × 3e-6 + $0.0015 + $0.01 = $0.6115), none fits.
  const token = await h.tool('claude-search', { dailyUsd: 0.1 });
  const { billed } = await spend(() => claude(token), 5);
  expect(billed, `provider billed $${billed.toFixed(6)} on a $0.10 budget`).toBeLessThanOrEqual(0.1);
});

it('Anthropic: a budget that holds the window admits one at a time', async () => {
  // $0.70 holds one reservation of $0.6115, not two.
  const token = await h.tool('claude-search-room', { dailyUsd: 0.7 });
  const { statuses, billed } = await spend(() => claude(token), 3);
  expect(statuses.filter((s) => s === 200).length).toBe(1);
  expect(billed, `provider billed $${billed.toFixed(6)} on a $0.70 budget`).toBeLessThanOrEqual(0.7);
});

it('Responses web_search (gpt-5): five requests at once on a $0.20/day budget', async () => {
  // Each billed 60,008 × 1.25e-6 + 100 × 10e-6 + $0.01 = $0.08601; reserved before at ~$0.011 each:
  // all five went, $0.43005. At gpt-5's 400,000-token window ($0.511) none fits.
  const token = await h.tool('gpt5-search', { dailyUsd: 0.2 });
  const { billed } = await spend(() => responses(token, 'gpt-5', 'web_search', 1), 5);
  expect(billed, `provider billed $${billed.toFixed(6)} on a $0.20 budget`).toBeLessThanOrEqual(0.2);
});

it('Responses web_search (gpt-4o-mini): 8,000 input tokens per call, reserved per call', async () => {
  // Each billed (8 + 24,000) × 0.15e-6 + 100 × 0.6e-6 + 3 × $0.01 = $0.0336612; reserved before at
  // ~$0.030063: three of five went on $0.10 ($0.1009836). With the blocks: two ($0.0673224).
  const token = await h.tool('mini-search', { dailyUsd: 0.1 });
  const { statuses, billed } = await spend(() => responses(token, 'gpt-4o-mini', 'web_search', 3), 5);
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
  expect(billed, `provider billed $${billed.toFixed(7)} on a $0.10 budget`).toBeLessThanOrEqual(0.1);
});
