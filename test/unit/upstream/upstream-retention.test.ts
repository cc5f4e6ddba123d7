// What an open upstream stream keeps once its bytes are handed on (issue 16: memory per open stream
// independent of the answer's length). undici parses the response headers as views of the socket
// read they arrived in, and its dispatch controller kept them (`rawHeaders`) for as long as the
// request lived: a provider that sends its headers and a long first burst in one read pinned that
// whole read (up to 64 kB) per open stream. Real loopback HTTP, the real client; whether a read is
// kept is asked of that read itself (a WeakRef to the memory behind the first chunk handed on,
// after a full GC): the process's ArrayBuffer total also moves with other test files' threads.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cancellation } from '../../../main/core/upstream/cancellation.js';
import { createUpstreamClient } from '../../../main/core/upstream/upstream-client.js';
import { gc } from '../../support/gc.js';

const BURST = 60_000;
const STREAMS = 40;
let server: net.Server;
let base: string;
const sockets = new Set<net.Socket>();
const upstream = createUpstreamClient();

beforeAll(async () => {
  // Every request: its status line, headers and a 60 kB chunk in one write, then held open.
  server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('data', () => {
      const body = Buffer.alloc(BURST, 0x61);
      socket.write(
        Buffer.concat([
          Buffer.from(
            `HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n${BURST.toString(16)}\r\n`,
          ),
          body,
          Buffer.from('\r\n'),
        ]),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await upstream.close();
  await new Promise((r) => server.close(r));
});

/** Opens a stream; resolves once its whole burst has been handed on (and dropped), with a weak
 *  reference to the socket read the first chunk was a view of. */
async function openStream(): Promise<Promise<WeakRef<ArrayBufferLike>>> {
  const res = await upstream.client({
    url: `${base}/v1/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from('{}'),
    signal: new Cancellation(),
    timeoutMs: 30_000,
  });
  let got = 0;
  let read: WeakRef<ArrayBufferLike> | undefined;
  return new Promise((resolve) => {
    res.body
      .read((chunk) => {
        read ??= new WeakRef(chunk.buffer);
        got += chunk.length;
        if (got >= BURST) resolve(read);
        return true;
      })
      .catch(() => undefined); // the sockets are destroyed at the end
  });
}

const turn = () => new Promise((r) => setImmediate(r));

describe('an open upstream stream', { timeout: 30_000 }, () => {
  it('keeps none of the socket read its headers arrived in', async () => {
    const reads = await Promise.all(await Promise.all(Array.from({ length: STREAMS }, () => openStream())));
    // WeakRefs hold their target until the job that made or read them ends: a turn, then a full GC.
    await turn();
    gc();
    await turn();
    gc();
    const kept = reads.filter((r) => r.deref() !== undefined).length;
    expect(kept).toBe(0);
  });
});
