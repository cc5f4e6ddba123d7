// Request bodies over real loopback HTTP: a big one is read into memory of its own (body-buffer.ts,
// returned to the system once collected) whether its length is declared or it comes chunked, and
// arrives byte for byte; one over the limit is refused.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocBodyBuffer } from '../../../main/core/proxy/body-buffer.js';
import { BodyTooLargeError, readBody } from '../../../main/core/proxy/read-body.js';

const LIMIT = 8 * 1024 * 1024;
let server: http.Server;
let url: string;
const read: Array<Buffer | Error> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    readBody(req, LIMIT).then(
      (b) => {
        read.push(b);
        res.end('ok');
      },
      (err: Error) => {
        read.push(err);
        res.writeHead(413).end();
      },
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function bytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 131 + (i >> 11)) & 0xff;
  return b;
}

async function post(body: Buffer, chunked: boolean): Promise<number> {
  // A stream body has no length to declare: fetch sends it chunked.
  const stream = new ReadableStream({
    start(c) {
      for (let at = 0; at < body.length; at += 100_000) c.enqueue(body.subarray(at, at + 100_000));
      c.close();
    },
  });
  const res = await fetch(url, {
    method: 'POST',
    body: chunked ? stream : body,
    ...(chunked ? { duplex: 'half' } : {}),
  } as RequestInit);
  await res.text();
  return res.status;
}

describe('readBody', () => {
  it('reads a big body byte for byte, declared or chunked, and a small one', async () => {
    for (const [n, chunked] of [
      [3 * 1024 * 1024 + 17, false],
      [3 * 1024 * 1024 + 17, true],
      [5_000, false],
      [5_000, true],
    ] as const) {
      const body = bytes(n);
      expect(await post(body, chunked)).toBe(200);
      const got = read.at(-1);
      expect(Buffer.isBuffer(got) && got.equals(body)).toBe(true);
    }
  });

  it('refuses a body over the limit, declared or not', async () => {
    expect(await post(bytes(LIMIT + 1), false)).toBe(413);
    expect(read.at(-1)).toBeInstanceOf(BodyTooLargeError);
    expect(await post(bytes(LIMIT + 1), true)).toBe(413);
    expect(read.at(-1)).toBeInstanceOf(BodyTooLargeError);
  });

  it('big buffers are writable memory of the size asked for', () => {
    const b = allocBodyBuffer(2 * 1024 * 1024 + 3);
    expect(b.length).toBe(2 * 1024 * 1024 + 3);
    b.fill(7);
    expect(b[b.length - 1]).toBe(7);
  });
});
