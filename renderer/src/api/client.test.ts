import { describe, expect, it, vi } from 'vitest';
import { AdminApiError, createApiClient, type FetchLike } from './client.js';
import { createFakeServer } from '../test-support/fake-server.js';

function recordingFetch(status: number, json: unknown) {
  const seen: Array<{ url: string; init: RequestInit }> = [];
  const fetch: FetchLike = async (url, init) => {
    seen.push({ url, init });
    return new Response(JSON.stringify(json), { status, headers: { 'content-type': 'application/json' } });
  };
  return { seen, fetch };
}

const base = 'http://127.0.0.1:4141/';

describe('createApiClient', () => {
  it('fills and encodes path params, sends same-origin credentials and a JSON body', async () => {
    const { seen, fetch } = recordingFetch(200, {
      model: 'openrouter/gpt-4o',
      price: { input: 1, output: 2 },
      source: 'user',
    });
    const client = createApiClient({ fetch, baseUrl: base });
    const out = await client.call('putPrice', {
      params: { model: 'openrouter/gpt-4o' },
      body: { input: 1, output: 2 },
    });
    expect(out.source).toBe('user');
    expect(seen[0]!.url).toBe('http://127.0.0.1:4141/api/prices/openrouter%2Fgpt-4o');
    expect(seen[0]!.init.method).toBe('PUT');
    expect(seen[0]!.init.credentials).toBe('same-origin');
    expect(JSON.parse(seen[0]!.init.body as string)).toEqual({ input: 1, output: 2 });
  });

  it('builds the query string, skipping empty values', async () => {
    const { seen, fetch } = recordingFetch(200, { records: [], nextBefore: null });
    const client = createApiClient({ fetch, baseUrl: base });
    await client.call('listRequests', { query: { tool: 'cli', status: 'error', limit: 20, text: '' } });
    expect(seen[0]!.url).toBe('http://127.0.0.1:4141/api/requests?tool=cli&status=error&limit=20');
  });

  it('rejects an invalid body before sending anything, naming the field', async () => {
    const { seen, fetch } = recordingFetch(200, {});
    const client = createApiClient({ fetch, baseUrl: base });
    const err = await client
      .call('createTool', { body: { name: 'Bad Name', limits: {} } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdminApiError);
    expect((err as AdminApiError).field).toBe('name');
    expect(seen).toHaveLength(0);
  });

  it('turns the admin error shape into an AdminApiError with status and field', async () => {
    const server = createFakeServer();
    const client = createApiClient({ fetch: server.fetch, baseUrl: base });
    await client.call('createTool', { body: { name: 'cli', limits: {} } });
    const err = (await client
      .call('createTool', { body: { name: 'cli', limits: {} } })
      .catch((e: unknown) => e)) as AdminApiError;
    expect(err.status).toBe(409);
    expect(err.field).toBe('name');
    expect(err.message).toBe('tool cli exists');
  });

  it('reports a response that breaks the contract, checked after the answer is handed over', async () => {
    const broken = [{ name: 'cli', createdAt: 'x', paused: 'no', limits: {}, tokens: [], activeTokens: 0 }];
    const { fetch } = recordingFetch(200, broken);
    const drift: string[] = [];
    const client = createApiClient({ fetch, baseUrl: base, onDrift: (m) => drift.push(m) });
    expect(await client.call('listTools')).toEqual(broken);
    await vi.waitFor(() => expect(drift).toHaveLength(1));
    expect(drift[0]).toMatch(/Unexpected answer from GET \/api\/tools: 0\.paused/);
    // An answer that keeps the contract reports nothing.
    const quiet = createApiClient({
      fetch: recordingFetch(200, { records: [], nextBefore: null }).fetch,
      baseUrl: base,
      onDrift: (m) => drift.push(m),
    });
    await quiet.call('listRequests');
    await new Promise((r) => setTimeout(r, 50));
    expect(drift).toHaveLength(1);
  });

  it('checks answers against the contract only once the page is idle (not while the first paint renders)', async () => {
    const broken = [{ name: 'cli', createdAt: 'x', paused: 'no', limits: {}, tokens: [], activeTokens: 0 }];
    const drift: string[] = [];
    const idle: Array<() => void> = [];
    const client = createApiClient({
      fetch: recordingFetch(200, broken).fetch,
      baseUrl: base,
      onDrift: (m) => drift.push(m),
      whenIdle: (fn) => idle.push(fn),
    });
    await client.call('listTools');
    await new Promise((r) => setTimeout(r, 50));
    expect(drift).toEqual([]);
    expect(idle).toHaveLength(1);
    idle.shift()!();
    await vi.waitFor(() => expect(drift).toHaveLength(1));
  });

  it('reports an unreachable core as status 0', async () => {
    const client = createApiClient({
      fetch: () => Promise.reject(new TypeError('fetch failed')),
      baseUrl: base,
    });
    const err = (await client.call('overview').catch((e: unknown) => e)) as AdminApiError;
    expect(err.status).toBe(0);
    expect(err.message).toMatch(/not reachable: fetch failed/);
  });
});
