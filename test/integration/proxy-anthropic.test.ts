// The proxy core through the official `@anthropic-ai/sdk` client, against a real upstream on loopback.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANTHROPIC_TEST_KEY, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let token: string;
let client: Anthropic;
/** Headers the SDK really sent, so forwarding is checked against the client's own values. */
const sent: Headers[] = [];
const recordingFetch: typeof fetch = (input, init) => {
  sent.push(new Headers(init?.headers));
  return fetch(input, init);
};

beforeAll(async () => {
  h = await startHarness();
  token = await h.tool('claude-code');
  client = new Anthropic({ baseURL: h.core.url, apiKey: token, maxRetries: 0, fetch: recordingFetch });
});
afterAll(() => h.close());

const lastReceived = () => h.upstream.received.at(-1)!;
const hi = { max_tokens: 64, messages: [{ role: 'user' as const, content: 'hi' }] };
const lastRecord = async (model: string) =>
  (await h.admin.call('listRequests', { query: { model } })).records[0];

describe('Anthropic Messages through the official SDK', () => {
  it('answers a message and swaps the tool token for the real key in x-api-key', async () => {
    const msg = await client.messages.create({ model: 'claude-haiku-4-5', ...hi });
    expect(msg.content).toEqual([{ type: 'text', text: 'Hello from the fake upstream!' }]);
    expect(msg.usage.input_tokens).toBe(12);
    expect(msg.usage.output_tokens).toBe(5);
    const got = lastReceived();
    expect(got.path).toBe('/v1/messages');
    expect(got.headers['x-api-key']).toBe(ANTHROPIC_TEST_KEY);
    expect(got.headers.authorization).toBeUndefined();
    expect(JSON.stringify(got.headers)).not.toContain(token);
    const rec = await lastRecord('claude-haiku-4-5');
    expect(rec?.tool).toBe('claude-code');
    expect(rec?.family).toBe('anthropic');
    expect(rec?.usage.inputTokens).toBe(12);
    expect(rec?.usage.outputTokens).toBe(5);
    // claude-haiku-4-5 at $1 / $5 per 1M: 12 × 1e-6 + 5 × 5e-6
    expect(rec?.costUsd).toBeCloseTo(0.000037, 12);
  });

  it('streams event by event and meters the last cumulative message_delta, not their sum', async () => {
    const stream = client.messages.stream({ model: 'claude-sonnet-4', ...hi });
    const types: string[] = [];
    let text = '';
    for await (const ev of stream) {
      types.push(ev.type);
      if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') text += ev.delta.text;
    }
    expect(text).toBe('Hello from the fake upstream!');
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    const final = await stream.finalMessage();
    expect(final.usage.output_tokens).toBe(5);
    expect((lastReceived().body as { stream?: boolean }).stream).toBe(true);
    // The fake sends output_tokens 2 then 5 (cumulative): 7 would mean they were added up.
    await expect.poll(async () => (await lastRecord('claude-sonnet-4'))?.usage.outputTokens).toBe(5);
    const rec = await lastRecord('claude-sonnet-4');
    expect(rec?.usage.inputTokens).toBe(12);
    expect(rec?.streamed).toBe(true);
    expect(rec?.estimated).toBe(false);
    // claude-sonnet-4 at $3 / $15 per 1M: 12 × 3e-6 + 5 × 15e-6
    expect(rec?.costUsd).toBeCloseTo(0.000111, 12);
  });

  it('streams with create({ stream: true }) too', async () => {
    const stream = await client.messages.create({ model: 'claude-haiku-4-5', stream: true, ...hi });
    let text = '';
    for await (const ev of stream)
      if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') text += ev.delta.text;
    expect(text).toBe('Hello from the fake upstream!');
  });

  it('counts tokens through /v1/messages/count_tokens at no cost', async () => {
    const count = await client.messages.countTokens({ model: 'claude-sonnet-4', messages: hi.messages });
    expect(count.input_tokens).toBe(42);
    expect(lastReceived().path).toBe('/v1/messages/count_tokens');
    expect(lastReceived().headers['x-api-key']).toBe(ANTHROPIC_TEST_KEY);
    const page = await h.admin.call('listRequests', { query: { text: 'count_tokens' } });
    const rec = page.records.find((r) => r.endpoint === 'count_tokens');
    expect(rec?.costUsd).toBe(0);
  });

  it('forwards the anthropic-version the SDK sends unchanged (not the adapter default)', async () => {
    await client.messages.create({ model: 'claude-sonnet-4', ...hi });
    const version = sent.at(-1)!.get('anthropic-version');
    expect(version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(lastReceived().headers['anthropic-version']).toBe(version);
  });

  it('forwards per-request anthropic-version and anthropic-beta unchanged', async () => {
    await client.messages.create(
      { model: 'claude-sonnet-4', ...hi },
      {
        headers: {
          'anthropic-version': '2024-10-22',
          'anthropic-beta': 'prompt-caching-2024-07-31,interleaved-thinking-2025-05-14',
        },
      },
    );
    const got = lastReceived();
    expect(got.headers['anthropic-version']).toBe('2024-10-22');
    expect(got.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31,interleaved-thinking-2025-05-14');
  });

  it('forwards the beta API (?beta=true, betas → anthropic-beta) as Claude Code sends it', async () => {
    await client.beta.messages.create({ model: 'claude-sonnet-4', betas: ['context-1m-2025-08-07'], ...hi });
    const got = lastReceived();
    expect(got.path).toBe('/v1/messages');
    expect(sent.at(-1)!.get('anthropic-beta')).toBe('context-1m-2025-08-07');
    expect(got.headers['anthropic-beta']).toBe('context-1m-2025-08-07');
    expect(got.headers['anthropic-version']).toBe(sent.at(-1)!.get('anthropic-version'));
    expect(got.headers['x-api-key']).toBe(ANTHROPIC_TEST_KEY);
  });

  it('passes an upstream 429 through with its Anthropic error body', async () => {
    const err = (await client.messages
      .create({ model: 'fail-429', ...hi })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect(err.status).toBe(429);
    expect(err.error).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'upstream says 429' },
    });
    const rec = await lastRecord('fail-429');
    expect(rec?.status).toBe(429);
    expect(rec?.errorClass).toBe('upstream_error');
    expect(rec?.costUsd).toBe(0);
  });

  it('aborts the upstream request as soon as the client goes away mid-stream', async () => {
    const before = h.upstream.aborted.length;
    const stream = client.messages.stream({ model: 'slow-stream', ...hi });
    let deltas = 0;
    try {
      for await (const ev of stream) {
        if (ev.type === 'content_block_delta' && ++deltas === 3) stream.abort();
      }
    } catch (err) {
      expect(String(err)).toMatch(/abort/i);
    }
    expect(deltas).toBe(3);
    await expect.poll(() => h.upstream.aborted.slice(before), { timeout: 3000 }).toEqual(['slow-stream']);
    await expect.poll(async () => (await lastRecord('slow-stream'))?.errorClass).toBe('client_abort');
  });
});

describe('proxy errors in Anthropic format', () => {
  const post = (key: string, path = '/v1/messages') =>
    fetch(`${h.core.url}${path}`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-4', ...hi }),
    });

  it('401 authentication_error for a wrong token', async () => {
    const res = await post('shm_not-a-real-token');
    expect(res.status).toBe(401);
    const body = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(Object.keys(body).sort()).toEqual(['error', 'type']);
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('authentication_error');
    expect(typeof body.error.message).toBe('string');

    const bad = new Anthropic({ baseURL: h.core.url, apiKey: 'shm_not-a-real-token', maxRetries: 0 });
    const err = await bad.messages
      .countTokens({ model: 'claude-sonnet-4', messages: hi.messages })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error' },
    });
  });

  it('accepts the token as Authorization: Bearer (ANTHROPIC_AUTH_TOKEN) and still sends only x-api-key upstream', async () => {
    const bearer = new Anthropic({ baseURL: h.core.url, apiKey: null, authToken: token, maxRetries: 0 });
    await bearer.messages.create({ model: 'claude-haiku-4-5', ...hi });
    const got = lastReceived();
    expect(got.headers['x-api-key']).toBe(ANTHROPIC_TEST_KEY);
    expect(got.headers.authorization).toBeUndefined();
  });

  it('429 rate_limit_error with x-should-retry: false when the budget cannot cover the request', async () => {
    const tiny = await h.tool('tiny-budget', { dailyUsd: 0.000001 });
    const before = h.upstream.received.length;
    const res = await post(tiny);
    expect(res.status).toBe(429);
    expect(res.headers.get('x-should-retry')).toBe('false');
    const body = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('rate_limit_error');
    expect(h.upstream.received.length).toBe(before);
  });

  it('never sends a wrong token upstream', async () => {
    const before = h.upstream.received.length;
    await post('shm_not-a-real-token');
    expect(h.upstream.received.length).toBe(before);
  });

  it('403 permission_error for a paused tool, and it serves again once resumed', async () => {
    await h.admin.call('patchTool', { params: { name: 'claude-code' }, body: { paused: true } });
    try {
      const res = await post(token);
      expect(res.status).toBe(403);
      const body = (await res.json()) as { type: string; error: { type: string; message: string } };
      expect(body.type).toBe('error');
      expect(body.error.type).toBe('permission_error');
      expect(body.error.message).toContain('shimmy tool resume claude-code');
      const err = await client.messages.create({ model: 'claude-sonnet-4', ...hi }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Anthropic.PermissionDeniedError);
    } finally {
      await h.admin.call('patchTool', { params: { name: 'claude-code' }, body: { paused: false } });
    }
    expect((await post(token)).status).toBe(200);
  });
});
