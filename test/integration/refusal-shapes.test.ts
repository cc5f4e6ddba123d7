// A budget refusal in the shape each real client stops on with Shimmy's message shown (the agents
// suite runs the clients themselves): 429 + x-should-retry: false by default; 400 for Codex (it
// hides a 429's message and retries other statuses); 402 for the Vercel AI SDK (it retries every
// 429, opencode for ever); Gemini's body carries the reset as google.rpc.RetryInfo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let broke: string;

beforeAll(async () => {
  h = await startHarness();
  broke = await h.tool('broke', { dailyUsd: 0.000001 });
});
afterAll(() => h.close());

const CODEX_UA = 'codex_exec/0.171.0 (Debian 12.0.0; x86_64) xterm (codex_exec; 0.171.0)';
const AI_SDK_UA = 'opencode/1.18.33 ai-sdk/provider-utils/4.0.40 runtime/bun/1.3.14';
const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };
const messages = { model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };
const gemini = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };

interface Refusal {
  type?: string;
  error: {
    type?: string;
    code?: string | number;
    status?: string;
    message: string;
    details?: Array<{ '@type': string; retryDelay: string }>;
  };
}

async function refuse(path: string, body: unknown, headers: Record<string, string>) {
  const before = h.upstream.received.length;
  const res = await fetch(`${h.core.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${broke}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  expect(h.upstream.received.length).toBe(before);
  return { res, json: (await res.json()) as Refusal };
}

/** Seconds from now to the next local midnight, give or take the test's own run time. */
const untilMidnight = () => {
  const next = new Date();
  next.setHours(24, 0, 0, 0);
  return (next.getTime() - Date.now()) / 1000;
};

describe('budget refusals, by client', () => {
  it('any client: 429 insufficient_quota, x-should-retry: false, Retry-After = seconds to the reset', async () => {
    const { res, json } = await refuse('/v1/chat/completions', chat, { 'user-agent': 'OpenAI/JS 6.0.0' });
    expect(res.status).toBe(429);
    expect(res.headers.get('x-should-retry')).toBe('false');
    expect(json.error).toMatchObject({ type: 'insufficient_quota', code: 'budget_exceeded' });
    expect(json.error.message).toMatch(/Tool "broke" is over its daily budget/);
    // The harness's day is the machine's local day (no time zone set).
    expect(Math.abs(Number(res.headers.get('retry-after')) - untilMidnight())).toBeLessThan(5);
  });

  it('Claude Code (Anthropic): 429 rate_limit_error with x-should-retry: false', async () => {
    const { res, json } = await refuse('/v1/messages', messages, {
      'user-agent': 'claude-cli/2.1.197 (external, sdk-cli)',
      'anthropic-version': '2023-06-01',
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('x-should-retry')).toBe('false');
    expect(json).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('Codex (by User-Agent or originator): 400, so it shows the message and does not retry', async () => {
    const asCodex: Array<Record<string, string>> = [
      { 'user-agent': CODEX_UA },
      { 'user-agent': 'reqwest', originator: 'codex_cli_rs' },
    ];
    for (const headers of asCodex) {
      const { res, json } = await refuse('/v1/responses', { model: 'gpt-5-mini', input: 'hi' }, headers);
      expect(res.status).toBe(400);
      expect(json.error).toMatchObject({ type: 'insufficient_quota', code: 'budget_exceeded' });
      expect(json.error.message).toMatch(/Tool "broke" is over its daily budget/);
    }
  });

  it('Vercel AI SDK clients (OpenAI and Anthropic APIs): 402, which the SDK does not retry', async () => {
    const openai = await refuse(
      '/v1/responses',
      { model: 'gpt-5-mini', input: 'hi' },
      { 'user-agent': AI_SDK_UA },
    );
    expect(openai.res.status).toBe(402);
    expect(openai.json.error).toMatchObject({ type: 'insufficient_quota', code: 'budget_exceeded' });
    const anthropic = await refuse('/v1/messages', messages, {
      'user-agent': AI_SDK_UA,
      'anthropic-version': '2023-06-01',
    });
    expect(anthropic.res.status).toBe(402);
    expect(anthropic.json).toMatchObject({ type: 'error', error: { type: 'billing_error' } });
    // opencode retries any error whose body says "rate limit" or "resource exhausted".
    expect(JSON.stringify(anthropic.json)).not.toMatch(/rate.limit|resource.exhausted/i);
  });

  it('Continue (the x-shimmy-agent header connect writes into its models): 402, which it does not retry', async () => {
    const { res, json } = await refuse('/v1/chat/completions', chat, {
      'user-agent': 'ls/JS 5.23.2',
      'x-shimmy-agent': 'continue',
    });
    expect(res.status).toBe(402);
    expect(json.error).toMatchObject({ type: 'insufficient_quota', code: 'budget_exceeded' });
  });

  it('Gemini: 429 RESOURCE_EXHAUSTED with the reset as google.rpc.RetryInfo (Gemini CLI stops on it)', async () => {
    const { res, json } = await refuse('/v1beta/models/gemini-2.5-flash:generateContent', gemini, {
      'user-agent': 'GeminiCLI/0.61.0/gemini-2.5-flash (linux; x64; terminal)',
    });
    expect(res.status).toBe(429);
    expect(json.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    const delay = json.error.details?.[0];
    expect(delay?.['@type']).toBe('type.googleapis.com/google.rpc.RetryInfo');
    expect(delay?.retryDelay).toBe(`${res.headers.get('retry-after')}s`);
  });

  it('a rate limit (not final) keeps its 429 for every client, Gemini with its RetryInfo', async () => {
    const rpm = await h.tool('rpm-one', { rpm: 1 });
    const send = (path: string, body: unknown, ua: string) =>
      fetch(`${h.core.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${rpm}`, 'content-type': 'application/json', 'user-agent': ua },
        body: JSON.stringify(body),
      });
    expect((await send('/v1/chat/completions', chat, AI_SDK_UA)).status).toBe(200);
    expect((await send('/v1/chat/completions', chat, AI_SDK_UA)).status).toBe(429);
    expect((await send('/v1/responses', { model: 'gpt-5-mini', input: 'hi' }, CODEX_UA)).status).toBe(429);
    const g = await send('/v1beta/models/gemini-2.5-flash:generateContent', gemini, 'GeminiCLI/0.61.0');
    expect(g.status).toBe(429);
    const body = (await g.json()) as { error: { details: Array<{ retryDelay: string }> } };
    expect(body.error.details[0]!.retryDelay).toBe(`${g.headers.get('retry-after')}s`);
  });
});
