// JSON nested 20,000 deep: a 400 in the caller's format with a ledger record, not a 500 with an
// empty body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { RELIABILITY_KEY } from './serve-fixture.js';

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness({
    keys: false,
    core: {
      env: { ...process.env, SHIMMY_KEY_OPENAI: RELIABILITY_KEY, SHIMMY_KEY_ANTHROPIC: RELIABILITY_KEY },
    },
  });
  token = await h.tool('deep');
});
afterAll(() => h.close());

const deep = (d: number) => '['.repeat(d) + ']'.repeat(d);

async function post(path: string, body: string) {
  const res = await fetch(`${h.core.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('deeply nested JSON', () => {
  it('OpenAI: 20,000 levels → 400 invalid_request_error, recorded', async () => {
    const r = await post(
      '/v1/chat/completions',
      `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"metadata":${deep(20_000)}}`,
    );
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_json' } });
    expect(String((r.body.error as { message: string }).message)).toMatch(/levels deep/);
    const page = await h.admin.call('listRequests', { query: { status: '400' } });
    expect(page.records.some((rec) => rec.path === '/v1/chat/completions' && rec.tool === 'deep')).toBe(true);
  });

  it('Anthropic: 20,000 levels → 400 in the Anthropic error shape', async () => {
    const r = await post(
      '/v1/messages',
      `{"model":"claude-3-5-haiku-latest","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"metadata":${deep(20_000)}}`,
    );
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('ordinary nesting (a 40-level tool schema) still goes through', async () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 40; i++) schema = { type: 'object', properties: { x: schema } };
    const r = await post(
      '/v1/chat/completions',
      JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
        tools: [{ type: 'function', function: { name: 'f', parameters: schema } }],
      }),
    );
    expect(r.status).toBe(200);
  });
});
