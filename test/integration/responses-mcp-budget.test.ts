// OpenAI's Responses `mcp` tool calls a remote MCP server on the provider's side: the tools it
// lists and what each call returns enter the context, billed as input tokens, with no fee of its
// own and no bound the tool can name ("you pay only for tokens used when importing tool
// definitions or making tool calls", platform.openai.com/docs/guides/tools-connectors-mcp, read
// 2026-11-29). So with Anthropic's MCP connector (`mcp_servers`, beta mcp-client-2025-04-04): its
// tool results are input to the model (docs.claude.com/en/docs/agents-and-tools/mcp-connector,
// read 2026-11-29). Shimmy reserved the body's input and the answer (input15, 2026-11-29).
// Prices: claude-sonnet-4-5 $3 in / $15 out per 1M, window 200,000
// (docs.claude.com/en/docs/about-claude/pricing, read 2026-11-29); gpt-5 $1.25 in / $10 out per 1M tokens, context window 400,000 (openai.com/api/pricing,
// platform.openai.com/docs/models/gpt-5, read 2026-11-29).
import { expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import {
  harnessOnJsonProvider,
  messagesAnswer,
  postStatus,
  responsesAnswer,
} from '../support/json-provider.js';

/** Tokens the MCP server's tool list and answers bring in. */
const MCP_OUTPUT = 100_000;

let h: Harness;
let billedUsd = 0;

harnessOnJsonProvider(
  ['openai', 'anthropic'],
  (x) => (h = x),
  (path, b) => {
    if (path.endsWith('/messages')) {
      const input = 12 + (Array.isArray(b.mcp_servers) ? MCP_OUTPUT : 0);
      const output = Number(b.max_tokens);
      billedUsd += input * 3e-6 + output * 15e-6;
      return messagesAnswer({ id: 'msg_m', stop_reason: 'max_tokens', input, outputTokens: output });
    }
    const mcp = JSON.stringify(b.tools ?? []).includes('"mcp"');
    const input = 8 + (mcp ? MCP_OUTPUT : 0);
    const output = Number(b.max_output_tokens);
    billedUsd += input * 1.25e-6 + output * 10e-6;
    return responsesAnswer({
      id: 'resp_m',
      status: 'incomplete',
      model: b.model,
      output: [
        { type: 'mcp_list_tools', id: 'mcpl_1', server_label: 'docs', tools: [] },
        {
          type: 'mcp_call',
          id: 'mcp_1',
          server_label: 'docs',
          name: 'read',
          arguments: '{}',
          output: '…',
          error: null,
        },
        {
          type: 'message',
          id: 'msg_m',
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

const ask = (token: string) =>
  postStatus(h, '/v1/responses', token, {
    model: 'gpt-5',
    service_tier: 'default',
    max_output_tokens: 100,
    tools: [
      {
        type: 'mcp',
        server_label: 'docs',
        server_url: 'https://mcp.example.com/sse',
        require_approval: 'never',
      },
    ],
    input: 'Read the design doc and summarize it.',
  });

async function spend(token: string, n: number) {
  const before = billedUsd;
  const statuses = await Promise.all(Array.from({ length: n }, () => ask(token)));
  return { statuses, billed: billedUsd - before };
}

it('five requests at once whose MCP server returns 100,000 tokens, on a $0.20/day budget', async () => {
  // Each billed 100,008 × 1.25e-6 + 100 × 10e-6 = $0.12601; reserved before at its own input and
  // the answer (~$0.001): all five went, $0.63005. At gpt-5's 400,000-token window ($0.501) none.
  const token = await h.tool('mcp-user', { dailyUsd: 0.2 });
  const { billed } = await spend(token, 5);
  expect(billed, `provider billed $${billed.toFixed(6)} on a $0.20 budget`).toBeLessThanOrEqual(0.2);
});

it('a budget that holds the window admits one', async () => {
  const token = await h.tool('mcp-user-room', { dailyUsd: 0.6 });
  const { statuses, billed } = await spend(token, 3);
  expect(statuses.filter((s) => s === 200).length).toBe(1);
  expect(billed, `provider billed $${billed.toFixed(6)} on a $0.60 budget`).toBeLessThanOrEqual(0.6);
});

it("Anthropic's MCP connector: five at once on a $0.20/day budget", async () => {
  // Each billed 100,012 × 3e-6 + 100 × 15e-6 = $0.301536, past the budget alone; reserved before
  // at ~$0.0015 each: all five went, $1.50768. At the 200,000-token window ($0.6015) none.
  const token = await h.tool('mcp-claude', { dailyUsd: 0.2 });
  const before = billedUsd;
  await Promise.all(
    Array.from({ length: 5 }, () =>
      postStatus(
        h,
        '/v1/messages',
        token,
        {
          model: 'claude-sonnet-4-5',
          max_tokens: 100,
          mcp_servers: [{ type: 'url', url: 'https://mcp.example.com/sse', name: 'docs' }],
          messages: [{ role: 'user', content: 'Read the design doc and summarize it.' }],
        },
        { 'anthropic-beta': 'mcp-client-2025-04-04' },
      ),
    ),
  );
  const billed = billedUsd - before;
  expect(billed, `provider billed $${billed.toFixed(6)} on a $0.20 budget`).toBeLessThanOrEqual(0.2);
});
