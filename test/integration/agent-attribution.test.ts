// Per-session attribution: the client and session each coding agent really sends (headers
// captured from claude 2.1.197, codex 0.171.0 and opencode 1.18.33 against a loopback server,
// 2026-11) are recorded with each request, and usage groups spend by session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness();
  token = await h.tool('agents');
});
afterAll(() => h.close());

async function post(path: string, headers: Record<string, string>, body: unknown): Promise<number> {
  const res = await fetch(`${h.core.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

const claude = {
  'user-agent': 'claude-cli/2.1.197 (external, sdk-cli)',
  'x-claude-code-session-id': '069138fd-cab8-49a6-9927-e691a599d5c2',
  'anthropic-version': '2023-06-01',
};
const codex = {
  'user-agent': 'codex_exec/0.171.0 (Debian 12.0.0; x86_64) xterm (codex_exec; 0.171.0)',
  originator: 'codex_exec',
  'session-id': '01a21df2-1285-7331-bc37-0c06e696a13a',
};
const opencode = {
  'user-agent': 'opencode/1.18.33 ai-sdk/provider-utils/4.0.23 runtime/bun/1.3.14',
  'x-session-id': 'ses_de20d6ad9ffecLc0YZCSqmgNL6',
};

describe('per-session attribution', () => {
  it('records client and session, and usage --by session sums each session', async () => {
    const msg = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };
    expect(await post('/v1/messages', claude, msg)).toBe(200);
    expect(await post('/v1/messages', claude, msg)).toBe(200);
    const resp = { model: 'gpt-4o-mini', input: 'hi' };
    expect(await post('/v1/responses', codex, resp)).toBe(200);
    const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };
    expect(await post('/v1/chat/completions', opencode, chat)).toBe(200);
    expect(await post('/v1/chat/completions', { 'user-agent': 'curl/8.5.0' }, chat)).toBe(200);

    const { records } = await h.admin.call('listRequests', { query: { limit: '10' } });
    expect(records.map((r) => [r.client, r.session])).toEqual([
      ['curl/8.5.0', undefined],
      ['opencode/1.18.33', 'ses_de20d6ad9ffecLc0YZCSqmgNL6'],
      ['codex_exec/0.171.0', '01a21df2-1285-7331-bc37-0c06e696a13a'],
      ['claude-cli/2.1.197', '069138fd-cab8-49a6-9927-e691a599d5c2'],
      ['claude-cli/2.1.197', '069138fd-cab8-49a6-9927-e691a599d5c2'],
    ]);

    const rows = await h.admin.call('usage', { query: { by: 'session' } });
    // The fake upstream reports 12 input and 5 output tokens for every answer.
    // claude-sonnet-4-5: $3 / $15 per 1M (anthropic.com/pricing, checked 2026-11):
    //   12 × 3e-6 + 5 × 15e-6 = $0.000111 per request, two requests = $0.000222.
    // gpt-4o-mini: $0.15 / $0.60 per 1M (openai.com/api/pricing, checked 2026-11):
    //   12 × 0.15e-6 + 5 × 0.60e-6 = $0.0000048 per request.
    // Sorted by cost; equal costs come in a fixed but unspecified order: sort those by client here.
    const sorted = [...rows].sort(
      (a, b) => b.costUsd - a.costUsd || String(a.client).localeCompare(String(b.client)),
    );
    expect(
      sorted.map((r) => ({
        tool: r.tool,
        client: r.client,
        session: r.session,
        n: r.requests,
        usd: r.costUsd,
      })),
    ).toEqual([
      {
        tool: 'agents',
        client: 'claude-cli/2.1.197',
        session: '069138fd-cab8-49a6-9927-e691a599d5c2',
        n: 2,
        usd: expect.closeTo(0.000222, 12),
      },
      {
        tool: 'agents',
        client: 'codex_exec/0.171.0',
        session: '01a21df2-1285-7331-bc37-0c06e696a13a',
        n: 1,
        usd: expect.closeTo(0.0000048, 12),
      },
      { tool: 'agents', client: 'curl/8.5.0', session: undefined, n: 1, usd: expect.closeTo(0.0000048, 12) },
      {
        tool: 'agents',
        client: 'opencode/1.18.33',
        session: 'ses_de20d6ad9ffecLc0YZCSqmgNL6',
        n: 1,
        usd: expect.closeTo(0.0000048, 12),
      },
    ]);
  });
});
