// Issue 7 through the real proxy: response cache, aliases, key pools and failover.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let token: string;
let client: OpenAI;

beforeAll(async () => {
  h = await startHarness();
  token = await h.tool('cached', {});
  client = new OpenAI({ baseURL: `${h.core.url}/v1`, apiKey: token, maxRetries: 0 });
  await h.admin.call('patchSettings', { body: { cacheEnabled: true } });
});
afterAll(() => h.close());

const countUpstream = (pred: (b: Record<string, unknown>) => boolean) =>
  h.upstream.received.filter((r) => pred((r.body ?? {}) as Record<string, unknown>)).length;

describe('response cache', () => {
  it('serves identical requests (keys reordered) from the cache: the upstream sees one', async () => {
    h.upstream.usage = { prompt: 1000, cached: 200, completion: 500 };
    const post = (body: string) =>
      fetch(`${h.core.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
    const a = await post(
      '{"model":"gpt-4o-mini","temperature":0,"messages":[{"role":"user","content":"cache me"}]}',
    );
    const b = await post(
      '{"messages":[{"content":"cache me","role":"user"}],"temperature":0,"model":"gpt-4o-mini"}',
    );
    expect(a.headers.get('x-shimmy-cache')).toBe('miss');
    expect(b.headers.get('x-shimmy-cache')).toBe('hit');
    expect(b.headers.get('x-shimmy-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers.get('x-shimmy-request-id')).not.toBe(a.headers.get('x-shimmy-request-id'));
    expect(await b.json()).toEqual(await a.json());
    expect(countUpstream((x) => JSON.stringify(x.messages ?? '').includes('cache me'))).toBe(1);
    const rec = (await h.admin.call('listRequests', { query: { tool: 'cached', limit: '1' } })).records[0]!;
    expect(rec.cacheHit).toBe(true);
    expect(rec.costUsd).toBe(0);
    expect(rec.savedUsd).toBeCloseTo(0.000435, 12);
    expect((await h.admin.call('cacheStats')).savedUsd).toBeCloseTo(0.000435, 12);
  });

  it('does not cache non-deterministic requests or requests that opt out', async () => {
    const ask = () =>
      client.chat.completions.create({
        model: 'gpt-4o-mini',
        temperature: 0.7,
        messages: [{ role: 'user', content: 'warm' }],
      });
    await ask();
    await ask();
    expect(countUpstream((x) => JSON.stringify(x.messages ?? '').includes('warm'))).toBe(2);
    const optOut = () =>
      client.chat.completions.create(
        { model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: 'no-store' }] },
        { headers: { 'x-shimmy-cache': 'no-store' } },
      );
    await optOut();
    await optOut();
    expect(countUpstream((x) => JSON.stringify(x.messages ?? '').includes('no-store'))).toBe(2);
  });

  it('caches non-deterministic requests too once the policy is "always"', async () => {
    await h.admin.call('patchSettings', { body: { cachePolicy: 'always' } });
    const ask = () =>
      client.chat.completions.create({
        model: 'gpt-4o-mini',
        temperature: 0.9,
        messages: [{ role: 'user', content: 'always' }],
      });
    await ask();
    await ask();
    expect(countUpstream((x) => JSON.stringify(x.messages ?? '').includes('always'))).toBe(1);
    await h.admin.call('patchSettings', { body: { cachePolicy: 'deterministic' } });
  });

  it('replays a cached stream correctly through the official SDK', async () => {
    const run = async () => {
      const s = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        temperature: 0,
        stream: true,
        messages: [{ role: 'user', content: 'stream me' }],
      });
      let text = '';
      for await (const c of s) {
        expect(c.choices).toHaveLength(1); // the usage chunk Shimmy asked for never reaches this client
        text += c.choices[0]?.delta.content ?? '';
      }
      return text;
    };
    expect(await run()).toBe('Hello from the fake upstream!');
    expect(await run()).toBe('Hello from the fake upstream!');
    expect(countUpstream((x) => JSON.stringify(x.messages ?? '').includes('stream me'))).toBe(1);
  });

  it('keeps the cache across a restart', async () => {
    const h2 = await startHarness();
    try {
      const t = await h2.tool('c2', {});
      await h2.admin.call('patchSettings', { body: { cacheEnabled: true } });
      const c = new OpenAI({ baseURL: `${h2.core.url}/v1`, apiKey: t, maxRetries: 0 });
      await c.embeddings.create({ model: 'text-embedding-3-small', input: 'persist me' });
      await h2.core.close();
      await h2.upstream.close();
      const h3 = await startHarness({ dataDir: h2.dataDir, keychainService: h2.keychainService });
      try {
        const c3 = new OpenAI({ baseURL: `${h3.core.url}/v1`, apiKey: t, maxRetries: 0 });
        const r = await c3.embeddings
          .create({ model: 'text-embedding-3-small', input: 'persist me' })
          .withResponse();
        expect(r.response.headers.get('x-shimmy-cache')).toBe('hit');
        expect(h3.upstream.received.filter((x) => x.path === '/v1/embeddings')).toHaveLength(0);
      } finally {
        await h3.close();
      }
    } finally {
      await h2.upstream.close().catch(() => undefined);
    }
  });
});

describe('routing and failover', () => {
  it('aliases move a tool to another provider without touching the tool', async () => {
    await h.admin.call('addProvider', {
      body: { name: 'groq', kind: 'openai', baseUrl: `${h.upstream.url}/v1` },
    });
    await h.admin.call('putKey', { body: { provider: 'groq', key: 'gsk-alias-test-7777' } });
    await h.admin.call('addRoute', { body: { pattern: 'fast', target: 'groq/llama-3.1-8b-instant' } });
    await client.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'alias' }] });
    const got = h.upstream.received.at(-1)!;
    expect((got.body as { model: string }).model).toBe('llama-3.1-8b-instant');
    expect(got.headers.authorization).toBe('Bearer gsk-alias-test-7777');
  });

  it('fails over from a revoked first key to the second with no client-visible error', async () => {
    await h.admin.call('addProvider', {
      body: { name: 'pool', kind: 'openai', baseUrl: `${h.upstream.url}/v1` },
    });
    await h.admin.call('putKey', { body: { provider: 'pool', key: 'sk-pool-revoked-0001' } });
    await h.admin.call('putKey', { body: { provider: 'pool', key: 'sk-pool-good-0002', label: 'second' } });
    for (let i = 0; i < 3; i++) {
      const r = await client.chat.completions.create({
        model: 'pool/gpt-4o-mini',
        messages: [{ role: 'user', content: `pool ${i}` }],
      });
      expect(r.choices[0]!.message.content).toBe('Hello from the fake upstream!');
    }
    const records = (
      await h.admin.call('listRequests', { query: { tool: 'cached', model: 'gpt-4o-mini', limit: '3' } })
    ).records;
    expect(records.every((r) => r.keyLabel === 'second' && r.status === 200)).toBe(true);
    // Once marked bad, the revoked key is skipped: it was tried exactly once.
    expect(
      h.upstream.received.filter((r) => String(r.headers.authorization).includes('revoked')),
    ).toHaveLength(1);
  });

  it('fails over from a 500-returning provider to its fallback', async () => {
    await h.admin.call('addProvider', {
      body: { name: 'flaky', kind: 'openai', baseUrl: `${h.upstream.url}/v1` },
    });
    await h.admin.call('putKey', { body: { provider: 'flaky', key: 'sk-flaky-0003' } });
    await h.admin.call('patchProvider', {
      params: { name: 'flaky' },
      body: { fallback: 'openai/gpt-4o-mini' },
    });
    const r = await client.chat.completions.create({
      model: 'flaky/fail-500',
      messages: [{ role: 'user', content: 'fallback' }],
    });
    expect(r.choices[0]!.message.content).toBe('Hello from the fake upstream!');
    const rec = (await h.admin.call('listRequests', { query: { tool: 'cached', limit: '1' } })).records[0]!;
    expect(rec.provider).toBe('openai');
    expect(rec.model).toBe('gpt-4o-mini');
    expect(rec.failovers).toEqual(['flaky:default 500']);
  });

  it('never retries a stream that failed mid-way', async () => {
    await h.admin.call('addProvider', {
      body: { name: 'cutter', kind: 'openai', baseUrl: `${h.upstream.url}/v1` },
    });
    await h.admin.call('putKey', { body: { provider: 'cutter', key: 'sk-cutter-0004' } });
    await h.admin.call('patchProvider', { params: { name: 'cutter' }, body: { fallback: 'openai' } });
    const before = countUpstream((x) => x.model === 'cut-stream');
    // The cut may reach the client before or after its first event: either way it is an error, never a retry.
    await expect(
      (async () => {
        const s = await client.chat.completions.create({
          model: 'cutter/cut-stream',
          stream: true,
          messages: [{ role: 'user', content: 'cut' }],
        });
        for await (const _ of s);
      })(),
    ).rejects.toThrow();
    expect(countUpstream((x) => x.model === 'cut-stream')).toBe(before + 1);
    await expect
      .poll(() =>
        h.admin
          .call('listRequests', { query: { tool: 'cached', limit: '1' } })
          .then((p) => p.records[0]?.errorClass),
      )
      .toBe('upstream_cut');
  });
});
