// The SQLite engine commits batches on its write worker: a commit that must wait for the database
// (another connection holding the write lock: a retention pass, `shimmy import`, a backup) waits
// there, not on the proxy's event loop.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { wideDeltas } from '../../../main/core/ledger/write-queue.js';
import { openSqlite, type LedgerEngine } from '../../../main/core/store/index.js';
import { toRow } from '../../../main/core/store/record-row.js';
import { sampleRecord } from '../../../main/core/store/samples.js';
import { tempDir } from './helpers.js';

let temp: Awaited<ReturnType<typeof tempDir>> | undefined;
let engine: LedgerEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await temp?.cleanup();
  temp = undefined;
});

describe('SQLite ledger engine: commits off the event loop', () => {
  it('keeps the event loop running while a batch waits for the write lock, then commits it', async () => {
    temp = await tempDir();
    const file = join(temp.dir, 'ledger.sqlite');
    engine = await openSqlite(file);
    const other = new Database(file);
    other.pragma('busy_timeout = 5000');
    other.exec('BEGIN IMMEDIATE'); // holds the write lock
    const rows = [toRow({ ...sampleRecord, id: 'held' }, '2024-01-01')];
    let settled = false;
    // Before the write worker this call committed synchronously: it held the loop for the whole
    // busy timeout (5 s) and then threw SQLITE_BUSY.
    const write = Promise.resolve()
      .then(() => engine!.write({ records: rows, rollups: wideDeltas(rows), reserve: [], settle: [] }))
      .finally(() => (settled = true));
    let ticks = 0;
    for (let i = 0; i < 10; i++) {
      await sleep(10);
      ticks++;
    }
    expect(ticks).toBe(10);
    expect(settled).toBe(false); // still waiting for the lock
    other.exec('COMMIT');
    await write;
    other.close();
    const got = await engine.reader.selectFrom('requests').select(['id']).execute();
    expect(got.map((r) => r.id)).toEqual(['held']);
  });

  it('rejects a batch the database refuses, and writes none of it', async () => {
    temp = await tempDir();
    engine = await openSqlite(join(temp.dir, 'ledger.sqlite'));
    const rows = [toRow({ ...sampleRecord, id: 'one' }, '2024-01-01')];
    await engine.write({ records: rows, rollups: wideDeltas(rows), reserve: [], settle: [] });
    // A row the table refuses (NOT NULL tool) fails the whole batch: nothing of it is written.
    const bad = [toRow({ ...sampleRecord, id: 'bad', tool: null as unknown as string }, '2024-01-01')];
    await expect(engine.write({ records: [...bad], rollups: [], reserve: [], settle: [] })).rejects.toThrow(
      /NOT NULL/,
    );
    const got = await engine.reader.selectFrom('requests').select(['id']).execute();
    expect(got.map((r) => r.id)).toEqual(['one']);
  });
});
