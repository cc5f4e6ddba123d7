// Big bodies over real loopback HTTP are read in a bounded amount at once (body-intake.ts): with
// three 20 MiB bodies sent together, two are read and the third waits, its request paused, until
// one of the first is released (issue 16: 8 × 20 MB at once held all 160 MB on top of the process).
// A client that leaves while its body waits does not keep the others waiting for good.
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTAKE_BYTES, intakeState } from '../../../main/core/proxy/body-intake.js';
import { readRequest, type RequestBody } from '../../../main/core/proxy/stages/read-request.js';

const LIMIT = 32 * 1024 * 1024;
const SIZE = 20 * 1024 * 1024;
let server: http.Server;
let port: number;
const read: Array<{ i: string; body: RequestBody; res: http.ServerResponse }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    readRequest(req, LIMIT, 'other', res).then(
      (body) => read.push({ i: String(req.headers['x-i']), body, res }),
      () => res.destroy(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i += 4096) b[i] = (i + seed) & 0xff;
  return b;
}

/** Sends one request on its own socket; resolves with the socket (its answer is not read). */
function send(i: number, body: Buffer): net.Socket {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.write(
    `POST /x HTTP/1.1\r\nhost: x\r\ncontent-type: application/octet-stream\r\ncontent-length: ${body.length}\r\nx-i: ${i}\r\nconnection: close\r\n\r\n`,
  );
  socket.write(body);
  return socket;
}

/** Waits (bounded) until `cond` holds; false when it never did. */
async function until(cond: () => boolean, ms = 30_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

describe('big body intake', () => {
  it('reads two 20 MiB bodies at once and the third once one is released', async () => {
    expect(2 * SIZE).toBeLessThanOrEqual(INTAKE_BYTES);
    expect(3 * SIZE).toBeGreaterThan(INTAKE_BYTES);
    const bodies = [0, 1, 2].map((i) => bytes(SIZE, i));
    const sockets = bodies.map((b, i) => send(i, b));
    expect(await until(() => read.length >= 2)).toBe(true);
    // Ordering, not timing: the third is waiting, not being read, and stays so a while.
    expect(intakeState().waiting).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(read.length).toBe(2);
    const first = read[0]!;
    first.body.releaseIntake?.();
    first.res.end('ok');
    expect(await until(() => read.length === 3)).toBe(true);
    for (const r of read) expect(r.body.bodyBytes!.equals(bodies[Number(r.i)]!)).toBe(true);
    for (const r of read.slice(1)) r.res.end('ok');
    for (const s of sockets) s.destroy();
    expect(await until(() => intakeState().admittedBytes === 0)).toBe(true);
    read.length = 0;
  }, 60_000);

  it('gives back the place of a client that left while its body waited', async () => {
    const sockets = [0, 1, 2].map((i) => send(i, bytes(SIZE, i)));
    expect(await until(() => read.length >= 2 && intakeState().waiting === 1)).toBe(true);
    // A paused request does not see its client leave (its socket is not read): it keeps its
    // place in line, and once admitted its read fails and the place is given back.
    const waiter = [0, 1, 2].find((i) => !read.some((r) => r.i === String(i)))!;
    sockets[waiter]!.destroy();
    // The response closing releases an admitted body, whether or not it was released first.
    for (const r of read) r.res.end('ok');
    expect(await until(() => intakeState().waiting === 0 && intakeState().admittedBytes === 0)).toBe(true);
    expect(read.length).toBe(2);
    for (const s of sockets) s.destroy();
  }, 60_000);
});
