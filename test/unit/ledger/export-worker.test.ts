// Exports run on a worker (SQLite's read worker, Postgres's export worker): the proxy's thread
// formats no record, writes the same bytes as jsonlLine/csvLine, leaves a socket's bytes to the
// worker, hands a file's written chunks back to be filled again, and survives a destination that
// goes away mid-export.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, connect, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { LedgerRecord } from '../../../shared/ledger.js';
import type { Ledger } from '../../../main/core/ledger/index.js';
import { csvHeader, csvLine, jsonlLine } from '../../../main/core/ledger/export.js';
import {
  describeEngines,
  exportedText,
  niceByThread,
  onWrite,
  readBack,
  record,
  seededOnce,
} from './helpers.js';

/** 3,000 records (several pages, ~1.4 MB of JSONL) with optional fields and odd numbers. */
function many(): LedgerRecord[] {
  const start = Date.UTC(2024, 4, 1);
  return Array.from({ length: 3000 }, (_, i) =>
    record({
      id: `r${i}`,
      time: new Date(start + i * 60_000).toISOString(),
      latencyMs: Math.round(i * 3.33 * 100) / 100,
      costUsd: i % 7 === 0 ? null : i % 5 === 0 ? 1e-7 : (i * 12_345) / 1e10,
      ...(i % 3 === 0 ? { user: `u"${i}`, failovers: ['anthropic'] } : {}),
      ...(i % 4 === 0
        ? { savedUsd: 2e-9, usage: { ...record({ id: '', time: '' }).usage, webSearchRequests: 2 } }
        : {}),
    }),
  );
}

describeEngines('Export on a worker', (kind) => {
  let dir: string;
  let ledger: Ledger;
  let newest: LedgerRecord[];
  // Every test only reads: the records are written once, and each test opens its own ledger on them.
  const seeded = seededOnce(kind, many);
  beforeEach(async () => {
    ({ dir, newest } = seeded);
    ledger = await seeded.open();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await ledger.close();
  });

  async function toPassThrough(format: 'csv' | 'jsonl', q = {}): Promise<string> {
    return exportedText(ledger, format, q);
  }

  it('formats no record on this thread, and writes what jsonlLine writes', async () => {
    const stringify = vi.spyOn(JSON, 'stringify');
    const text = await toPassThrough('jsonl');
    // Before: one JSON.stringify per record here (3,000), and its garbage on the proxy's heap. Now
    // none, but for the first page (50 records), read here while the worker boots or waits.
    expect(stringify.mock.calls.length).toBeLessThanOrEqual(55);
    stringify.mockRestore();
    const back = await readBack(ledger);
    expect(back.map((r) => r.id)).toEqual(newest.map((r) => r.id));
    expect(back.map((r) => JSON.parse(jsonlLine(r)) as unknown)).toEqual(newest);
    expect(text).toBe(back.map(jsonlLine).join(''));
    expect(await toPassThrough('jsonl', { limit: 501, tool: 'aider' })).toBe(
      back.slice(0, 501).map(jsonlLine).join(''),
    );
  });

  // Linux only (nice is per thread there; elsewhere the worker leaves it), and not in a run already
  // at nice 19, where no thread can be lowered further.
  const ownNice = process.platform === 'linux' ? niceByThread().get(String(process.pid)) : undefined;
  it.runIf(ownNice !== undefined && ownNice < 19)(
    "pages on a thread at nice 19 and leaves the proxy's thread where it was",
    async () => {
      // A month's export is tens of seconds of a CPU on its worker: on 2 cores the proxy's thread
      // must get a CPU before it. SQLite's read worker had a test of its own; Postgres's export
      // worker, the same setting in another place, had none (round 19).
      await toPassThrough('jsonl');
      const nice = niceByThread();
      expect([...nice].filter(([tid]) => tid !== String(process.pid)).map(([, n]) => n)).toContain(19);
      expect(nice.get(String(process.pid))).toBe(ownNice);
    },
  );

  it('writes the first page (50 JSONL records, 100 CSV lines) on its own, the worker warm or not', async () => {
    // Before: a warm worker sent its first 64 kB chunk once a 500-record page was formatted there,
    // at nice 19 (SQLite always; Postgres once its worker had booted): the first record waited for
    // that thread to get a CPU on a loaded machine (96–160 ms at 1M records).
    for (let round = 0; round < 2; round++) {
      for (const [format, lines] of [
        ['jsonl', 50],
        ['csv', 101],
      ] as const) {
        const writes: string[] = [];
        const out = new PassThrough();
        out.resume();
        onWrite(out, (chunk) => writes.push(Buffer.from(chunk as Uint8Array).toString('utf8')));
        await ledger.exportTo(format, {}, out);
        const firstRecords = format === 'csv' ? writes[0]! + writes[1]! : writes[0]!;
        expect(firstRecords.split('\n').length - 1).toBe(lines);
      }
    }
  });

  it('lets other work run between compiling its plan, reading its first page and formatting it', async () => {
    // Before: on SQLite (read synchronously on this thread) the plan, the first page's query and
    // its formatting ran in one turn of the event loop — 6–16 ms of the proxy's CPU in one block
    // at 1M records (bench-ledger.mjs, 2026-11-29); the proxy's requests waited for all of it.
    for (const format of ['csv', 'jsonl'] as const) {
      let turns = 0;
      const at: number[] = [];
      // Turns counted until the first record is written (CSV: after its header).
      const turn = () => {
        turns++;
        if (at.length < (format === 'csv' ? 2 : 1)) setImmediate(turn);
      };
      const out = new PassThrough();
      out.resume();
      onWrite(out, () => at.push(turns));
      setImmediate(turn);
      await ledger.exportTo(format, {}, out);
      // CSV: the header is written once the plan is compiled; JSONL has none, so its first page
      // is counted from the export's start.
      const first = format === 'csv' ? at[1]! - at[0]! : at[0]!;
      expect(first).toBeGreaterThanOrEqual(2);
    }
  });

  it('writes to a socket from the worker itself: this thread writes only the header and the first page', async () => {
    // Before: every 64 kB chunk came here and was written by this thread (~0.4 ms of its CPU
    // each, a month's CSV at 200k records 0.2 s); now the worker writes them to the descriptor.
    const received: Buffer[] = [];
    const server = createServer((s) => s.on('data', (c: Buffer) => received.push(c)));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    const sock: Socket = connect(port, '127.0.0.1');
    await once(sock, 'connect');
    let writes = 0;
    onWrite(sock, () => writes++);
    try {
      await ledger.exportTo('csv', {}, sock);
      expect(writes).toBe(2);
      sock.end();
      await once(sock, 'close');
      await vi.waitFor(() =>
        expect(Buffer.concat(received).toString('utf8')).toBe(csvHeader() + newest.map(csvLine).join('')),
      );
    } finally {
      sock.destroy();
      server.close();
    }
  });

  it("hands a file's written chunks back to the worker, and the bytes arrive intact", async () => {
    const file = join(dir, 'export.csv');
    const out = createWriteStream(file);
    const written: Uint8Array[] = [];
    onWrite(out, (chunk) => {
      if (chunk instanceof Uint8Array) written.push(chunk);
    });
    await ledger.exportTo('csv', {}, out);
    out.end();
    await once(out, 'close');
    // Every chunk from the worker went back (transferred: detached here) once the file had
    // written it — all but the first page, built on this thread.
    expect(written.length).toBeGreaterThan(3);
    expect(written.slice(1).every((c) => c.buffer.byteLength === 0)).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(csvHeader() + newest.map(csvLine).join(''));
  });

  it('ends with an error when the destination closes mid-export, and the next export and query work', async () => {
    const out = new PassThrough({ highWaterMark: 16 }); // never read: fills at once
    setTimeout(() => out.destroy(), 20);
    await expect(ledger.exportTo('jsonl', {}, out)).rejects.toThrow(/closed/);
    expect(await toPassThrough('csv', { limit: 2 })).toBe(
      csvHeader() + newest.slice(0, 2).map(csvLine).join(''),
    );
    expect((await ledger.query({ limit: 1 })).records[0]?.id).toBe(newest[0]!.id);
  });
});
