// What a request keeps of its own sending while its answer is still open (issue 16: memory per open
// stream). A stream's request and response live for minutes; whatever their listeners and the
// upstream handler still reach stays in memory that long. Real loopback HTTP, the real body reader
// and upstream client; whether a thing is kept is asked of that thing itself (a WeakRef, after a
// full GC), never of heap totals, which other test files' threads also move.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBody } from '../../../main/core/proxy/read-body.js';
import { Cancellation } from '../../../main/core/upstream/cancellation.js';
import {
  createUpstreamClient,
  type UpstreamRequest,
  type UpstreamResponse,
} from '../../../main/core/upstream/upstream-client.js';
import { gc } from '../../support/gc.js';

const STREAMS = 20;
let server: http.Server;
let url: string;
/** Open answers, ended in afterAll. */
const open = new Set<http.ServerResponse>();
/** Weak references to the bodies read, one per request. */
const bodies: Array<WeakRef<ArrayBufferLike>> = [];
const upstream = createUpstreamClient();

beforeAll(async () => {
  // Reads the body, then answers with a stream it holds open: as the proxy's upstream does.
  server = http.createServer((req, res) => {
    readBody(req, 1 << 20).then(
      (body) => {
        bodies.push(new WeakRef(body.buffer));
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {}\n\n');
        open.add(res);
      },
      () => res.writeHead(400).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of open) res.end();
  await upstream.close();
  await new Promise((r) => server.close(r));
});

/** Resolves when the answer's first bytes come; its body stays open until afterAll ends it. */
function firstBytes(res: UpstreamResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    res.body
      .read(() => {
        resolve();
        return true;
      })
      .catch(() => undefined); // ended in afterAll
  });
}

/** Opens a stream through the real upstream client with `onDispatched`; resolves once its first
 *  bytes came, with a weak reference to that callback. */
async function openStream(): Promise<WeakRef<() => void>> {
  const request: UpstreamRequest = {
    url: `${url}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from('{"model":"gpt-4o-mini","stream":true}'),
    signal: new Cancellation(),
    timeoutMs: 30_000,
    onDispatched: () => undefined,
  };
  const dispatched = new WeakRef(request.onDispatched!);
  const res = await upstream.client(request);
  // This frame stays suspended below: only the client may still hold the callback.
  delete request.onDispatched;
  await firstBytes(res);
  return dispatched;
}

const turn = () => new Promise((r) => setImmediate(r));
async function fullGc() {
  // WeakRefs hold their target until the job that made or read them ends: a turn, then a full GC.
  await turn();
  gc();
  await turn();
  gc();
}

/** Opens a stream whose body is spliced pieces (as the proxy sends a body it changed); resolves
 *  once its first bytes came, with a weak reference to Node's pool slab current when it was sent. */
async function openSplicedStream(): Promise<WeakRef<ArrayBufferLike>> {
  const slab = new WeakRef(Buffer.from('x').buffer);
  const res = await upstream.client({
    url: `${url}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: [Buffer.from('{"model":"gpt-4o-mini",'), Buffer.from('"stream":true}')],
    signal: new Cancellation(),
    timeoutMs: 30_000,
  });
  // The pool moves on to a new slab: nothing of this test holds the old one.
  for (let i = 0; i < 100; i++) Buffer.from('y'.repeat(100));
  await firstBytes(res);
  return slab;
}

describe('an open stream', { timeout: 30_000 }, () => {
  it("does not pin Node's shared buffer pool with the joined body undici holds", async () => {
    // A first one unmeasured: the client's first connection keeps a pooled buffer of its own.
    await openSplicedStream();
    const slabs: Array<WeakRef<ArrayBufferLike>> = [];
    // One at a time: each sent while its own slab is the pool's.
    for (let i = 0; i < STREAMS; i++) slabs.push(await openSplicedStream());
    await fullGc();
    // Before, the join was a slice of the pool's 8 kB slab, held until the answer ended: 20 of 20.
    expect(slabs.filter((s) => s.deref() !== undefined).length).toBe(0);
  });

  it("keeps neither its request body's bytes nor the upstream client's onDispatched once used", async () => {
    const callbacks = await Promise.all(Array.from({ length: STREAMS }, () => openStream()));
    expect(open.size).toBeGreaterThanOrEqual(STREAMS);
    await fullGc();
    // The body reader's listeners stayed on the request until it closed, their scope holding the
    // chunks read (the body itself, for a small one): before, all 20 were kept.
    expect(bodies.filter((b) => b.deref() !== undefined).length).toBe(0);
    // The upstream handler held onDispatched (whose scope is the sender's: the body and its
    // spliced pieces) for the answer's whole life: before, all 20 were kept.
    expect(callbacks.filter((c) => c.deref() !== undefined).length).toBe(0);
  });
});
