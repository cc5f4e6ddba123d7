// The proxy core through the official `openai` client, against a real upstream on loopback.
import http from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAI_TEST_KEY, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let token: string;
let client: OpenAI;

beforeAll(async () => {
  h = await startHarness();
  token = await h.tool('aider');
  client = new OpenAI({ baseURL: `${h.core.url}/v1`, apiKey: token, maxRetries: 0 });
});
afterAll(() => h.close());

const lastReceived = () => h.upstream.received.at(-1)!;

describe('OpenAI family through the official SDK', () => {
  it('answers a chat completion and swaps in the real key', async () => {
    const res = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.choices[0]!.message.content).toBe('Hello from the fake upstream!');
    expect(res.usage?.prompt_tokens).toBe(12);
    const got = lastReceived();
    expect(got.path).toBe('/v1/chat/completions');
    expect(got.headers.authorization).toBe(`Bearer ${OPENAI_TEST_KEY}`);
    expect(JSON.stringify(got.headers)).not.toContain(token);
  });

  it('streams chunk by chunk and the client sees no usage chunk it did not ask for', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(
      'Hello from the fake upstream!',
    );
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
    // Upstream was asked for usage so Shimmy can meter the stream.
    expect((lastReceived().body as { stream_options?: unknown }).stream_options).toEqual({
      include_usage: true,
    });
  });

  it('passes the usage chunk through when the client asked for it', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
    let usage;
    for await (const c of stream) if (c.usage) usage = c.usage;
    expect(usage?.completion_tokens).toBe(5);
  });

  it('serves embeddings, the models list and the Responses API', async () => {
    const emb = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
    expect(emb.data[0]!.embedding.map((x) => Math.round(x * 10) / 10)).toEqual([0.1, 0.2, 0.3]);
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['gpt-4o-mini']);
    const resp = await client.responses.create({ model: 'gpt-4o-mini', input: 'hi' });
    expect(resp.output_text).toBe('Hello from the fake upstream!');
  });

  it('passes upstream errors through unchanged', async () => {
    const err = await client.chat.completions
      .create({ model: 'fail-500', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect((err as InstanceType<typeof OpenAI.APIError>).message).toContain('upstream says 500');
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_500');
  });

  it('refuses a wrong token with 401 invalid_api_key in OpenAI format', async () => {
    const bad = new OpenAI({ baseURL: `${h.core.url}/v1`, apiKey: 'shm_not-a-real-token', maxRetries: 0 });
    const err = (await bad.models.list().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.status).toBe(401);
    expect(err.code).toBe('invalid_api_key');
  });

  it('refuses a paused tool with 403 and serves it again once resumed', async () => {
    await h.admin.call('patchTool', { params: { name: 'aider' }, body: { paused: true } });
    const err = (await client.models.list().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(err.message).toContain('shimmy tool resume aider');
    await h.admin.call('patchTool', { params: { name: 'aider' }, body: { paused: false } });
    await expect(client.models.list()).resolves.toBeDefined();
  });

  it('aborts the upstream request as soon as the client goes away mid-stream', async () => {
    const before = h.upstream.aborted.length;
    const ac = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'slow-stream', stream: true, messages: [{ role: 'user', content: 'x' }] },
      { signal: ac.signal },
    );
    let n = 0;
    try {
      for await (const _ of stream) if (++n === 3) ac.abort();
    } catch (err) {
      expect(String(err)).toMatch(/abort/i);
    }
    expect(n).toBe(3);
    await expect.poll(() => h.upstream.aborted.length, { timeout: 3000 }).toBe(before + 1);
    await expect
      .poll(() =>
        h.admin
          .call('listRequests', { query: { model: 'slow-stream' } })
          .then((p) => p.records[0]?.errorClass),
      )
      .toBe('client_abort');
  });

  it('holds the upstream back while the client is not reading (back-pressure), then delivers every byte', async () => {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(`${h.core.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
      req.on('response', resolve).on('error', reject);
      req.end(JSON.stringify({ model: 'flood-stream', stream: true, messages: [] }));
    });
    expect(res.statusCode).toBe(200);
    // Not reading: the upstream must stall once the socket buffers between it and us are full
    // (about 8 MiB on Linux loopback); without back-pressure the proxy would take all 32 MiB.
    let last = -1;
    await expect
      .poll(
        () => {
          const settled = h.upstream.floodWritten === last;
          last = h.upstream.floodWritten;
          return settled && last > 0;
        },
        { interval: 200, timeout: 10_000 },
      )
      .toBe(true);
    expect(h.upstream.floodWritten).toBeLessThan(20 * 2 ** 20);
    let received = 0;
    let tail = '';
    for await (const chunk of res) {
      received += (chunk as Buffer).length;
      tail = (tail + (chunk as Buffer).toString('latin1')).slice(-32);
    }
    expect(tail.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(h.upstream.floodWritten).toBeGreaterThan(32 * 2 ** 20);
    expect(received).toBe(h.upstream.floodWritten + 'data: [DONE]\n\n'.length);
  });

  it('sends SSE headers at once when the first event is late (a model still thinking)', async () => {
    const started = performance.now();
    const res = await fetch(`${h.core.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'late-stream', stream: true, messages: [] }),
    });
    const headersAfter = performance.now() - started;
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    const bodyAfter = performance.now() - started;
    expect(text).toContain('data: [DONE]');
    expect(bodyAfter).toBeGreaterThanOrEqual(480);
    expect(headersAfter).toBeLessThan(300);
  });

  it('routes provider/model names to that provider with the prefix stripped', async () => {
    await h.admin.call('addProvider', {
      body: { name: 'groq', kind: 'openai', baseUrl: `${h.upstream.url}/v1` },
    });
    await h.admin.call('putKey', { body: { provider: 'groq', key: 'gsk-groq-test-key-9999' } });
    await client.chat.completions.create({
      model: 'groq/llama-3.1-8b-instant',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect((lastReceived().body as { model: string }).model).toBe('llama-3.1-8b-instant');
    expect(lastReceived().headers.authorization).toBe('Bearer gsk-groq-test-key-9999');
  });
});

describe('proxy errors in OpenAI format', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${h.core.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body,
    });

  it('400 for malformed JSON', async () => {
    const res = await post('{"model": "gpt-4o-mini",');
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_json');
  });

  it('413 for a body over the limit', async () => {
    await h.admin.call('patchSettings', { body: { bodyLimitBytes: 1000 } });
    const res = await post(
      JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(2000) }] }),
    );
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('body_too_large');
    await h.admin.call('patchSettings', { body: { bodyLimitBytes: 32 * 1024 * 1024 } });
  });

  it('a 4xx naming the provider and the fix when it has no key', async () => {
    await h.admin.call('addProvider', {
      body: { name: 'keyless', kind: 'openai', baseUrl: `${h.upstream.url}/v1` },
    });
    const res = await post(JSON.stringify({ model: 'keyless/some-model', messages: [] }));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await res.json()).error.message).toContain('shimmy key set keyless');
  });

  it('403 for a model outside the allowlist', async () => {
    const t = await h.tool('narrow', { models: ['gpt-4o-mini'] });
    const res = await fetch(`${h.core.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [] }),
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('model_not_allowed');
  });

  it('502 naming the provider when upstream is unreachable', async () => {
    await h.admin.call('addProvider', {
      body: { name: 'down', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1' },
    });
    await h.admin.call('putKey', { body: { provider: 'down', key: 'sk-down-test-0000' } });
    const res = await post(JSON.stringify({ model: 'down/x', messages: [] }));
    expect(res.status).toBe(502);
    expect((await res.json()).error.message).toContain('Provider "down"');
  });

  it('every response carries x-shimmy-request-id: answers, streams, refusals, unknown tokens', async () => {
    const responses = [
      await post(JSON.stringify({ model: 'gpt-4o-mini', messages: [] })),
      await post(JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [] })),
      await post('{"model": "gpt-4o-mini",'),
      await post(JSON.stringify({ model: 'fail-500', messages: [] })),
      await post(JSON.stringify({ model: 'gpt-4o-mini', messages: [] }), {
        authorization: 'Bearer shm_nope',
      }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 400, 500, 401]);
    const ids = responses.map((r) => r.headers.get('x-shimmy-request-id'));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(ids.length);
    await Promise.all(responses.map((r) => r.arrayBuffer()));
  });

  it('logs request and response bodies, minus credentials, only when body logging is on', async () => {
    const send = () =>
      post(JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'log me' }] }));
    const off = (await send()).headers.get('x-shimmy-request-id')!;
    await h.admin.call('patchSettings', { body: { logBodies: true } });
    const on = (await send()).headers.get('x-shimmy-request-id')!;
    await h.admin.call('patchSettings', { body: { logBodies: false } });
    await expect
      .poll(() => h.admin.call('getRequest', { params: { id: on } }).then((d) => d.response?.body ?? ''))
      .toContain('Hello from the fake upstream!');
    const detail = await h.admin.call('getRequest', { params: { id: on } });
    expect(detail.request?.body).toContain('log me');
    expect(detail.request?.headers.authorization).toBeUndefined();
    expect(JSON.stringify(detail)).not.toContain(token);
    expect((await h.admin.call('getRequest', { params: { id: off } })).request).toBeUndefined();
  });
});
