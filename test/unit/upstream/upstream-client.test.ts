// The upstream client's body over real loopback HTTP: every chunk in order, a consumer that throws
// fails the read (never a hang), and a cancel settles it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cancellation } from '../../../main/core/upstream/cancellation.js';
import { createUpstreamClient } from '../../../main/core/upstream/upstream-client.js';

let server: http.Server;
let base: string;
const upstream = createUpstreamClient();

beforeAll(async () => {
  // /chunks/N answers N chunked writes, 5 ms apart, each its index and a newline.
  server = http.createServer(async (req, res) => {
    const n = Number(req.url?.split('/')[2] ?? 0);
    res.writeHead(200, { 'content-type': 'text/plain' });
    for (let i = 0; i < n && !res.destroyed; i++) {
      res.write(`${i}\n`);
      await new Promise((r) => setTimeout(r, 5));
    }
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await upstream.close();
  await new Promise((r) => server.close(r));
});

const get = (path: string, signal = new Cancellation()) =>
  upstream.client({ url: base + path, method: 'GET', headers: {}, body: null, signal, timeoutMs: 5000 });

describe('upstream body', () => {
  it('hands over every chunk in order, even when read() starts late', async () => {
    const res = await get('/chunks/20');
    await new Promise((r) => setTimeout(r, 30));
    let text = '';
    await res.body.read((chunk) => {
      text += chunk.toString();
      return true;
    });
    expect(text).toBe(Array.from({ length: 20 }, (_, i) => `${i}\n`).join(''));
  });

  it('fails the read with what the consumer threw, and aborts the upstream request', async () => {
    const res = await get('/chunks/50');
    const boom = new Error('consumer broke');
    let calls = 0;
    await expect(
      res.body.read(() => {
        calls++;
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(calls).toBe(1);
  });

  it('settles the read when cancelled mid-body', async () => {
    const cancel = new Cancellation();
    const res = await get('/chunks/200', cancel);
    const read = res.body.read(() => {
      cancel.cancel();
      return true;
    });
    await expect(read).rejects.toThrow();
  });
});
