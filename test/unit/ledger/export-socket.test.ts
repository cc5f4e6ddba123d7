// An export to an HTTP response is written by the worker straight to the socket, framed for
// chunked coding (store/export-socket.ts): the body is byte for byte what csvLine/jsonlLine write,
// the connection stays usable for the next request, and a response destroyed mid-export stops the
// worker before its descriptor is closed — never a byte of export on the next connection.
import { once } from 'node:events';
import { fstatSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LedgerRecord } from '../../../shared/ledger.js';
import type { Ledger } from '../../../main/core/ledger/index.js';
import { csvHeader, csvLine, jsonlLine } from '../../../main/core/ledger/export.js';
import { SocketTarget, STOP, WRITING } from '../../../main/core/store/export-socket.js';
import { describeEngines, onWrite, readBack, record, seededOnce } from './helpers.js';

/** 3,000 records of ~4 kB: ~190 chunks of 64 kB in either format — more than the kernel's loopback
 *  buffers hold for a client that reads nothing (at ~1.3 MB the whole export fitted in them on a
 *  quiet machine, and finished before the test could destroy it mid-way). */
function many(): LedgerRecord[] {
  const start = Date.UTC(2024, 4, 1);
  const pad = 'x'.repeat(4000);
  return Array.from({ length: 3000 }, (_, i) =>
    record({ id: `r${i}`, time: new Date(start + i * 60_000).toISOString(), user: `u"${i % 9}${pad}` }),
  );
}

describeEngines('Export to an HTTP response', (kind) => {
  let ledger: Ledger;
  let newest: LedgerRecord[];
  let server: ReturnType<typeof createServer>;
  let port: number;
  /** res.write calls made by this thread per export. */
  let writes: number[];
  let exported: Promise<unknown>[];

  // Every test only reads: the records are written once, and each test opens its own ledger on them.
  const seeded = seededOnce(kind, many);
  beforeEach(async () => {
    ({ newest } = seeded);
    ledger = await seeded.open();
    writes = [];
    exported = [];
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (req.url === '/small') return res.end('small and whole');
      const format = req.url === '/csv' ? 'csv' : 'jsonl';
      const n = writes.push(0) - 1;
      onWrite(res, () => writes[n]!++);
      const done = ledger.exportTo(format, {}, res).then(
        () => res.end(),
        (err: unknown) => {
          res.destroy();
          throw err;
        },
      );
      exported.push(done.catch((err: unknown) => err));
    });
    server.keepAliveTimeout = 5000;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    server.closeAllConnections();
    server.close();
    await ledger.close();
  });

  it('sends what csvLine / jsonlLine write, this thread writing only the header and first page, on a kept-alive connection', async () => {
    const agent = new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 1 });
    const get = async (path: string) => {
      const res = await new Promise<IncomingMessage>((resolve, reject) =>
        request({ port, host: '127.0.0.1', path, agent }, resolve).on('error', reject).end(),
      );
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      return { text: Buffer.concat(chunks).toString('utf8'), socket: res.socket };
    };
    try {
      const csv = await get('/csv');
      const jsonl = await get('/jsonl');
      const small = await get('/small');
      expect(csv.text).toBe(csvHeader() + newest.map(csvLine).join(''));
      // The log's own reading of the records (fromRow's key order), as the export writes them.
      const back = await readBack(ledger);
      expect(back.map((r) => r.id)).toEqual(newest.map((r) => r.id));
      expect(jsonl.text).toBe(back.map(jsonlLine).join(''));
      expect(small.text).toBe('small and whole');
      // One connection for all three: each export's chunked body ended where HTTP says it did.
      expect(new Set([csv.socket, jsonl.socket, small.socket]).size).toBe(1);
      // Before: one write per 64 kB chunk here (~190 each); now the header and first page.
      expect(writes).toEqual([2, 1]);
    } finally {
      agent.destroy();
    }
  });

  it('stops the worker when the response is destroyed mid-export; the next connections get only their own bytes', async () => {
    // A client that reads nothing: the socket fills, the worker waits on it, and the response is
    // destroyed under it (its descriptor closed, and soon another connection's).
    const req = request({ port, host: '127.0.0.1', path: '/jsonl' });
    req.on('error', () => undefined);
    req.on('response', (res: IncomingMessage) => res.pause());
    req.end();
    await new Promise((r) => setTimeout(r, 300));
    server.closeAllConnections();
    const [err] = await Promise.all(exported);
    expect(String(err)).toMatch(/closed|EPIPE|ECONNRESET|destroyed/);
    for (let i = 0; i < 20; i++) {
      const text = await new Promise<string>((resolve, reject) =>
        request({ port, host: '127.0.0.1', path: '/small' }, (res) => {
          let s = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (s += c));
          res.on('end', () => resolve(s));
        })
          .on('error', reject)
          .end(),
      );
      expect(text).toBe('small and whole');
    }
    // The worker is free: the next export and query work.
    expect((await ledger.query({ limit: 1 })).records[0]?.id).toBe(newest[0]!.id);
  });
});

describe("a socket handed to a worker: its descriptor's close", () => {
  it('waits while a write is in progress, however long, and the handle is Node’s again after', async () => {
    const server = createNetServer((s) => s.resume());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const sock = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(sock, 'connect');
    try {
      const target = SocketTarget.of(sock)!;
      const direct = (await target.claim())!;
      expect(direct.chunked).toBe(false);
      const handle = (sock as unknown as { _handle: object })._handle;
      // A worker inside a write (or taken off its CPU between its STOP check and its write):
      Atomics.store(direct.flags, WRITING, 1);
      let closed = false;
      sock.once('close', () => (closed = true));
      sock.destroy();
      // Before: the close waited at most 100 ms on this thread, then closed the descriptor under
      // the worker — a number the next connection may get.
      await new Promise((r) => setTimeout(r, 250));
      expect(Atomics.load(direct.flags, STOP)).toBe(1);
      expect(closed).toBe(false);
      expect(() => fstatSync(direct.fd)).not.toThrow();
      Atomics.store(direct.flags, WRITING, 0);
      await vi.waitFor(() => expect(closed).toBe(true));
      expect(Object.keys(handle)).not.toContain('close');
    } finally {
      sock.destroy();
      server.close();
    }
  });

  it('gives the handle back untouched when the export ends with the socket open', async () => {
    const server = createNetServer((s) => s.resume());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const sock = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(sock, 'connect');
    const target = SocketTarget.of(sock)!;
    const direct = (await target.claim())!;
    const handle = (sock as unknown as { _handle: object })._handle;
    expect(Object.keys(handle)).toEqual(expect.arrayContaining(['close']));
    target.release();
    expect(Atomics.load(direct.flags, STOP)).toBe(1);
    expect(Object.keys(handle)).not.toContain('close');
    sock.destroy();
    await once(sock, 'close');
    server.close();
  });
});
