import { describe, expect, it } from 'vitest';
import indexHtml from '../../index.html?raw';
import { FIRST_PAINT_CALLS } from '../app.js';
import { createFakeServer } from '../test-support/fake-server.js';
import { createApiClient, type FetchLike } from './client.js';
import { PRIMED_FOR_MS, primeClient } from './primed-client.js';

const baseUrl = 'http://127.0.0.1:4141';

/** Timers run by hand: `expire()` runs every timer set so far (the primed answers' expiry). */
function handTimers() {
  const pending: Array<{ fn: () => void; ms: number }> = [];
  return {
    setTimeout: (fn: () => void, ms: number) => pending.push({ fn, ms }),
    delays: () => pending.map((p) => p.ms),
    expire: () => pending.splice(0).forEach((p) => p.fn()),
  };
}

describe('primeClient', () => {
  it('asks at once; the first identical call gets that answer, later ones ask again', async () => {
    const server = createFakeServer();
    const timers = handTimers();
    const client = primeClient(
      createApiClient({ fetch: server.fetch, baseUrl }),
      [['overview'], ['listRequests', { query: { limit: 50 } }]],
      timers,
    );
    // Asked before any caller, as main.tsx does before React mounts.
    expect(server.calls.map((c) => c.name)).toEqual(['overview', 'listRequests']);
    expect((await client.call('overview')).todayUsd).toBe(server.state.overview.todayUsd);
    await client.call('listRequests', { query: { limit: 50 } });
    expect(server.calls).toHaveLength(2);
    // A call with other arguments, and a second identical one, go to the server.
    await client.call('listRequests', { query: { limit: 10 } });
    await client.call('overview');
    expect(server.calls.map((c) => c.name)).toEqual(['overview', 'listRequests', 'listRequests', 'overview']);
    expect(timers.delays()).toEqual([PRIMED_FOR_MS, PRIMED_FOR_MS]);
  });

  it('drops an answer nobody claimed in time: a later call asks afresh', async () => {
    const server = createFakeServer();
    const timers = handTimers();
    const client = primeClient(createApiClient({ fetch: server.fetch, baseUrl }), [['overview']], timers);
    timers.expire();
    await client.call('overview');
    expect(server.calls.map((c) => c.name)).toEqual(['overview', 'overview']);
  });

  it("hands a failed primed call's error to its caller", async () => {
    const failing: FetchLike = async () =>
      new Response(JSON.stringify({ error: { message: 'Not signed in' } }), { status: 401 });
    const client = primeClient(createApiClient({ fetch: failing, baseUrl }), [['overview']], handTimers());
    await expect(client.call('overview')).rejects.toThrow('Not signed in');
  });

  it("primes exactly what index.html preloads, so the client's calls take the preloads up", async () => {
    const asked: string[] = [];
    const fetch: FetchLike = async (url) => {
      const u = new URL(url);
      asked.push(u.pathname + u.search);
      return new Response('{}');
    };
    primeClient(createApiClient({ fetch, baseUrl }), FIRST_PAINT_CALLS, handTimers());
    const preloads = [
      ...indexHtml.matchAll(/<link rel="preload" as="fetch" href="([^"]+)" crossorigin="anonymous"/g),
    ];
    expect(preloads.map((m) => m[1])).toEqual(asked);
    expect(asked).toEqual(['/api/overview', '/api/requests?limit=50']);
  });
});
