// A tool with a TPM limit and a USD budget. The budget reserves what a server-side tool may bring
// in at the largest context window that may serve the request (limits/tool-content-input.ts): an
// upper bound on the bill, not an estimate of the tokens. TPM counted that bound too, so a web
// search request on a TPM below the window was "larger than the limit" for ever (429, never fits),
// though the same request on the same TPM without a budget went through: adding a budget changed
// what the minute counts (review15, 2026-11-29). What the search brings in counts for TPM when the
// answer says so, from its settle (limits/rate-window.ts), as without a budget.
// Prices (read 2026-11-29): claude-sonnet-4-5 $3 in / $15 out per 1M, web search $10 per 1,000
// (docs.claude.com/en/docs/about-claude/pricing); gpt-5 $1.25 / $10 per 1M
// (openai.com/api/pricing).
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { harnessOnJsonProvider, messagesAnswer, responsesAnswer } from '../support/json-provider.js';

let h: Harness;
const sentLimits: unknown[] = [];

harnessOnJsonProvider(
  ['anthropic', 'openai'],
  (x) => (h = x),
  (path, b) => {
    if (path.endsWith('/messages'))
      return messagesAnswer({
        id: 'msg_t',
        stop_reason: 'end_turn',
        input: 2_000,
        outputTokens: 10,
        server_tool_use: { web_search_requests: 1 },
      });
    sentLimits.push(b.max_output_tokens);
    return responsesAnswer({
      id: 'resp_t',
      status: 'completed',
      model: b.model,
      output: [
        { type: 'web_search_call', id: 'ws_0', status: 'completed' },
        {
          type: 'message',
          id: 'msg_r',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'ok', annotations: [] }],
        },
      ],
      input: 2_000,
      outputTokens: 10,
    });
  },
);

const claudeSearch = (token: string) =>
  fetch(`${h.core.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': token, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 1 }],
      messages: [{ role: 'user', content: 'What happened today?' }],
    }),
  }).then(async (r) => ({ status: r.status, text: await r.text() }));

it('an Anthropic web search on a 50,000 TPM goes through with a budget as without one', async () => {
  const tpmOnly = await h.tool('search-tpm', { tpm: 50_000 });
  expect((await claudeSearch(tpmOnly)).status).toBe(200);
  // $5 holds the search's reservation (200,000 × 3e-6 + 100 × 15e-6 + $0.01 = $0.6115) eight
  // times over: only TPM could refuse it.
  const both = await h.tool('search-tpm-usd', { tpm: 50_000, dailyUsd: 5 });
  const res = await claudeSearch(both);
  expect(res.status, res.text).toBe(200);
});

it('a Responses web search that names no output limit is sent at what the minute holds, not 1', async () => {
  // gpt-5's search results are reserved at its 400,000-token window; the TPM of 50,000 minus the
  // body's few tokens leaves most of the minute to the answer.
  const token = await h.tool('responses-tpm-usd', { tpm: 50_000, dailyUsd: 5 });
  const res = await fetch(`${h.core.url}/v1/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-5',
      service_tier: 'default',
      max_tool_calls: 1,
      tools: [{ type: 'web_search' }],
      input: 'What happened today?',
    }),
  });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  const limit = Number(sentLimits.at(-1));
  expect(limit).toBeGreaterThan(49_000);
  expect(limit).toBeLessThan(50_000);
});

it('a thinking budget the TPM-sized limit cannot hold is refused naming the TPM limit, not the budget', async () => {
  // No max_tokens: sent at what a 1,000 TPM holds after the input (under 1,000 tokens), and
  // budget_tokens 2,000 must stay below it and at least 1,024, so no such body can be sent. The
  // $5 budget pays for the whole answer (1,000 × 15e-6 = $0.015): the TPM limit set it, and the
  // refusal said "has budget left for … output tokens" (left16, 2026-11-29). Its code and status
  // are unchanged (budget_exceeded where a budget priced the request).
  const token = await h.tool('thinking-tpm-usd', { tpm: 1_000, dailyUsd: 5 });
  const res = await fetch(`${h.core.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': token, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'claude-sonnet-4-5',
      thinking: { type: 'enabled', budget_tokens: 2_000 },
      messages: [{ role: 'user', content: 'Think it over.' }],
    }),
  });
  const body = (await res.json()) as { error: { type: string; message: string } };
  expect(res.status).toBe(429);
  expect(body.error.type).toBe('rate_limit_error');
  expect(body.error.message).toMatch(/TPM limit holds \d+ output tokens/);
  expect(body.error.message).not.toMatch(/budget left/);
});
