// The SQLite read worker's lifecycle (issue 16, RSS): it starts with the first query, stops once no
// query came for a while (its isolate and page cache returned), and starts again with the next —
// which is answered as before. The engine's checkpoints (which run on it) stop once the WAL is
// checkpointed, so a ledger written to and then left alone lets it stop.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { wideDeltas } from '../../../main/core/ledger/write-queue.js';
import { openSqlite, type LedgerEngine } from '../../../main/core/store/index.js';
import { toRow } from '../../../main/core/store/record-row.js';
import { sampleRecord } from '../../../main/core/store/samples.js';
import { WorkerSqliteDialect } from '../../../main/core/store/sqlite/worker-dialect.js';
import { tempDir } from './helpers.js';

const threadsNow = () => readdirSync('/proc/self/task').length;
let temp: Awaited<ReturnType<typeof tempDir>> | undefined;
let engine: LedgerEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await temp?.cleanup();
  temp = undefined;
});

describe('SQLite read worker lifecycle', () => {
  it('starts with the first query, stops when no query came for a while, and starts again with the next', async () => {
    temp = await tempDir();
    const file = join(temp.dir, 'r.sqlite');
    new Database(file).exec('create table t (x integer); insert into t values (42)');
    const before = threadsNow();
    const db = new Kysely<{ t: { x: number } }>({ dialect: new WorkerSqliteDialect(file, 300) });
    try {
      expect(threadsNow()).toBe(before); // nothing started by creating it
      expect(await db.selectFrom('t').select('x').execute()).toEqual([{ x: 42 }]);
      expect(threadsNow()).toBe(before + 1);
      // Queried within each idle period: kept.
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 150));
        expect(await db.selectFrom('t').select('x').execute()).toEqual([{ x: 42 }]);
      }
      expect(threadsNow()).toBe(before + 1);
      await expect.poll(threadsNow, { timeout: 5_000, interval: 50 }).toBe(before);
      // The next query starts a new thread and is answered.
      expect(await db.selectFrom('t').select('x').execute()).toEqual([{ x: 42 }]);
      expect(threadsNow()).toBe(before + 1);
    } finally {
      await db.destroy();
    }
    await expect.poll(threadsNow, { timeout: 5_000, interval: 50 }).toBe(before);
  });

  it('a written ledger left alone is checkpointed, then its read worker stops; a query after reads every record', async () => {
    temp = await tempDir();
    const file = join(temp.dir, 'ledger.sqlite');
    const before = threadsNow();
    engine = await openSqlite(file, { readIdleStopMs: 300 });
    const rows = [toRow({ ...sampleRecord, id: 'one' }, '2024-01-01')];
    await engine.write({ records: rows, rollups: wideDeltas(rows), reserve: [], settle: [] });
    // The write worker stays (a record reaches the file within ~1 ms of its answer); the read
    // worker runs the checkpoint (1 s after the write), then has nothing to do and stops.
    await expect.poll(threadsNow, { timeout: 2_000, interval: 20 }).toBe(before + 2);
    await expect.poll(threadsNow, { timeout: 10_000, interval: 50 }).toBe(before + 1);
    // And stays stopped: no checkpoint (every 1 s while the WAL has new frames) starts it again.
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) {
      seen.add(threadsNow());
      await new Promise((r) => setTimeout(r, 50));
    }
    expect([...seen]).toEqual([before + 1]);
    const got = await engine.reader.selectFrom('requests').select(['id']).execute();
    expect(got.map((r) => r.id)).toEqual(['one']);
  }, 20_000);
});
