// A saturated event loop must still take in new connections at more than one per poll: libuv 1.45+
// accepts one connection each time it polls a listening socket, so 1,000 streams opened at once
// waited seconds in the accept queue (server/accept-wide.ts). Real sockets on loopback, the real
// server, and a real child process handing the listening socket back.
import { readdirSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createShimmyServer,
  listen,
  EXTRA_ACCEPT_DESCRIPTORS,
  WIDEN_AT_CONNECTIONS,
  type ShimmyServer,
} from '../../../main/core/server.js';

const linux = process.platform === 'linux';

/**
 * Sockets open on this process, by kernel inode: an accepted connection adds one. Synchronous on
 * purpose: counted inside one setImmediate, it must not give the loop another poll (an awaited
 * dynamic import did, under load, and the count then spanned several polls).
 */
function socketDescriptors(): Map<string, number> {
  const out = new Map<string, number>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const link = readlinkSync(`/proc/self/fd/${fd}`);
      if (link.startsWith('socket:')) out.set(link, (out.get(link) ?? 0) + 1);
    } catch {
      // closed while listed
    }
  }
  return out;
}
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

describe.runIf(linux)('accepting under a saturated loop', () => {
  let server: ShimmyServer | undefined;
  const clients: net.Socket[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close(0);
    server = undefined;
  });

  it('takes several queued connections per poll once connections pile up', async () => {
    server = createShimmyServer(
      async (_req, res) => void res.end('{}'),
      (_req, res) => void res.end('admin'),
    );
    const port = await listen(server.http, 0, '127.0.0.1');
    expect(server.acceptDescriptors()).toBe(1);

    // Enough idle connections to cross the threshold: the socket gets its extra descriptors.
    for (let i = 0; i < WIDEN_AT_CONNECTIONS; i++) clients.push(await connect(port));
    // Every extra descriptor: they arrive one IPC message at a time, and one that arrived after the
    // count below would make a full poll look like more than one per descriptor.
    const descriptors = 1 + EXTRA_ACCEPT_DESCRIPTORS;
    await expect.poll(() => server!.acceptDescriptors(), { timeout: 10_000 }).toBe(descriptors);
    await new Promise((r) => setTimeout(r, 100)); // every earlier connection accepted

    // 100 more complete their handshakes (the kernel does that) while the loop is busy, then the
    // loop polls once: count what that one poll accepted.
    const before = total(socketDescriptors());
    for (let i = 0; i < 100; i++) clients.push(net.connect(port, '127.0.0.1'));
    const until = performance.now() + 300;
    while (performance.now() < until); // a loop busy for 300 ms, as under a saturating load
    const acceptedInOnePoll = await new Promise<number>((resolve) =>
      setImmediate(() => resolve(total(socketDescriptors()) - before - 100)),
    );
    // One descriptor: exactly one per poll. With more, one per descriptor.
    expect(acceptedInOnePoll).toBeGreaterThan(1);
    expect(acceptedInOnePoll).toBeLessThanOrEqual(descriptors);
  });

  it('serves requests on connections the extra descriptors took, and stops taking them on close', async () => {
    const seen: string[] = [];
    server = createShimmyServer(
      async (req, res) => {
        seen.push(req.url ?? '');
        res.end('{}');
      },
      (_req, res) => void res.end('admin'),
    );
    const port = await listen(server.http, 0, '127.0.0.1');
    for (let i = 0; i < WIDEN_AT_CONNECTIONS; i++) clients.push(await connect(port));
    await expect.poll(() => server!.acceptDescriptors(), { timeout: 10_000 }).toBeGreaterThan(1);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`http://127.0.0.1:${port}/v1/models?i=${i}`, { headers: { connection: 'close' } }).then((r) =>
          r.text(),
        ),
      ),
    );
    expect(answers.every((a) => a === '{}')).toBe(true);
    expect(seen).toHaveLength(50);
    const listening = () => [...socketDescriptors().values()].some((n) => n > 1);
    expect(listening()).toBe(true);
    await server.close(0);
    server = undefined;
    // Every extra descriptor of the listening socket is closed with the server.
    expect(listening()).toBe(false);
    await expect(connect(port)).rejects.toThrow(/ECONNREFUSED/);
  });
});
