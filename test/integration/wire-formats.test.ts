// Every API family a coding agent speaks reaches its provider, whatever its client puts in the
// base URL: Anthropic's /messages without /v1 (Vercel AI SDK, opencode), an Anthropic client's
// GET /v1/models, Gemini's native API (Gemini CLI), and a Codex WebSocket upgrade refused at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ANTHROPIC_TEST_KEY, GEMINI_TEST_KEY, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness();
  token = await h.tool('agent');
});
afterAll(() => h.close());

const anthropicHeaders = () => ({
  'x-api-key': token,
  'anthropic-version': '2023-06-01',
  'content-type': 'application/json',
});
const hi = { model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };
const last = () => h.upstream.received.at(-1)!;

describe('Anthropic clients', () => {
  it('serves /messages (a base URL that already ends in /v1) like /v1/messages', async () => {
    const res = await fetch(`${h.core.url}/messages`, {
      method: 'POST',
      headers: anthropicHeaders(),
      body: JSON.stringify(hi),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(((await res.json()) as { type: string }).type).toBe('message');
    expect(last().path).toBe('/v1/messages');
    expect(last().headers['x-api-key']).toBe(ANTHROPIC_TEST_KEY);
  });

  it('serves /messages/count_tokens like /v1/messages/count_tokens', async () => {
    const res = await fetch(`${h.core.url}/messages/count_tokens`, {
      method: 'POST',
      headers: anthropicHeaders(),
      body: JSON.stringify({ model: 'claude-haiku-4-5', messages: hi.messages }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ input_tokens: 42 });
    expect(last().path).toBe('/v1/messages/count_tokens');
  });

  it('sends GET /v1/models from an Anthropic client to the Anthropic provider', async () => {
    const res = await fetch(`${h.core.url}/v1/models`, { headers: anthropicHeaders() });
    expect(res.status).toBe(200);
    expect(last().path).toBe('/v1/models');
    expect(last().headers['x-api-key']).toBe(ANTHROPIC_TEST_KEY);
    expect(last().headers.authorization).toBeUndefined();
  });
});

describe('unknown paths', () => {
  it('answers JSON in the caller’s family, never HTML, and never passes them on', async () => {
    const before = h.upstream.received.length;
    const openai = await fetch(`${h.core.url}/v2/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(openai.status).toBe(404);
    expect(((await openai.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const anthropic = await fetch(`${h.core.url}/complete`, {
      method: 'POST',
      headers: anthropicHeaders(),
      body: '{}',
    });
    expect(anthropic.status).toBe(404);
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    const get = await fetch(`${h.core.url}/nope`, { headers: { authorization: `Bearer ${token}` } });
    expect(get.status).toBe(404);
    expect(get.headers.get('content-type')).toContain('application/json');
    expect(h.upstream.received.length).toBe(before);
  });

  it('still serves the dashboard to a browser', async () => {
    const res = await fetch(`${h.core.url}/`);
    expect(res.headers.get('content-type')).toContain('text/html');
  });
});

describe('Gemini native API', () => {
  const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };

  it('answers generateContent with the real key in x-goog-api-key and records the request', async () => {
    const res = await fetch(`${h.core.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': token, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as {
      candidates: Array<{ content: { parts: Array<{ text: string }> } }>;
    };
    expect(answer.candidates[0]!.content.parts[0]!.text).toBe('Hello from the fake gemini!');
    expect(last().path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(last().headers['x-goog-api-key']).toBe(GEMINI_TEST_KEY);
    const rec = (await h.admin.call('listRequests', { query: { model: 'gemini-2.5-flash' } })).records[0];
    expect(rec).toMatchObject({
      tool: 'agent',
      provider: 'google',
      family: 'gemini',
      endpoint: 'generate_content',
    });
    // usageMetadata of the fake answer: promptTokenCount 12, candidatesTokenCount 5.
    expect(rec?.usage).toMatchObject({ inputTokens: 12, outputTokens: 5 });
    expect(rec?.estimated).toBe(false);
  });

  it('takes the token from ?key= and never sends it upstream', async () => {
    const res = await fetch(
      `${h.core.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=${token}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    expect(text.match(/^data: /gm)?.length).toBe(6);
    expect(last().url).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(JSON.stringify(last().headers)).not.toContain(token);
  });

  it('never sends a token given as `$key` upstream either (Google reads `$key` as `key`)', async () => {
    for (const name of ['$key', '%24key']) {
      const res = await fetch(
        `${h.core.url}/v1beta/models/gemini-2.5-flash:generateContent?${name}=${token}&prettyPrint=false`,
        {
          method: 'POST',
          headers: { 'x-goog-api-key': token, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        },
      );
      expect(res.status).toBe(200);
      await res.text();
      expect(last().url).toBe('/v1beta/models/gemini-2.5-flash:generateContent?prettyPrint=false');
    }
  });

  it('refuses a wrong key in Gemini’s own error format', async () => {
    const res = await fetch(`${h.core.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': 'shm_wrong', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
  });

  it('routes an alias to the upstream model in the path', async () => {
    await h.admin.call('addRoute', { body: { pattern: 'fast', target: 'google/gemini-2.5-flash-lite' } });
    const res = await fetch(`${h.core.url}/v1beta/models/fast:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': token, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expect(last().path).toBe('/v1beta/models/gemini-2.5-flash-lite:generateContent');
  });
});

describe('Codex WebSocket transport', () => {
  it('refuses the upgrade at once with a JSON error, so the client falls back to SSE', async () => {
    const before = h.upstream.received.length;
    const ws = new WebSocket(`${h.core.url.replace('http', 'ws')}/v1/responses`, {
      headers: { authorization: `Bearer ${token}`, 'openai-beta': 'responses_websockets=2026-02-06' },
    });
    const refused = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      ws.on('open', () => reject(new Error('the upgrade was accepted')));
      ws.on('error', reject);
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
    });
    expect(refused.status).toBe(426);
    expect((JSON.parse(refused.body) as { error: { code: string } }).error.code).toBe(
      'upgrade_not_supported',
    );
    expect(h.upstream.received.length).toBe(before);
  });
});
