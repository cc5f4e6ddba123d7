// The SQLite read worker must not keep the process alive while no query is pending (`shimmy`
// commands that open the ledger exit by themselves), and hands a large result over in chunks so
// the proxy on the main thread runs between them.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { WorkerSqliteDialect } from '../../../main/core/store/sqlite/worker-dialect.js';
import { niceByThread, tempDir } from './helpers.js';

const ports = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;

describe('SQLite read worker', () => {
  it('holds no active handle while idle: once started, and after a query', async () => {
    const { dir, cleanup } = await tempDir();
    const file = join(dir, 'idle.sqlite');
    new Database(file).exec('create table t (x integer); insert into t values (42)');
    const before = ports();
    // Started, no query yet (warmUp() starts it so).
    const driver = new WorkerSqliteDialect(file).createDriver();
    await driver.init();
    await new Promise((r) => setTimeout(r, 50));
    const started = ports();
    await driver.destroy();
    expect(started).toBe(before);

    const db = new Kysely<{ t: { x: number } }>({ dialect: new WorkerSqliteDialect(file) });
    try {
      expect(await db.selectFrom('t').select('x').execute()).toEqual([{ x: 42 }]);
      await new Promise((r) => setTimeout(r, 50));
      expect(ports()).toBe(before);
    } finally {
      await db.destroy();
      await cleanup();
    }
  });
});

describe('SQLite read worker hand-over', () => {
  it('hands a large result over in chunks the main thread asks for one turn at a time, complete and in order', async () => {
    const { dir, cleanup } = await tempDir();
    const file = join(dir, 'big.sqlite');
    const raw = new Database(file);
    raw.exec('create table t (x integer, s text)');
    const insert = raw.prepare('insert into t values (?, ?)');
    raw.transaction(() => {
      for (let i = 0; i < 30_000; i++) insert.run(i, `row-${i}`);
    })();
    raw.close();
    const posted = vi.spyOn(Worker.prototype, 'postMessage');
    const db = new Kysely<{ t: { x: number; s: string } }>({ dialect: new WorkerSqliteDialect(file) });
    try {
      const rows = await db.selectFrom('t').selectAll().orderBy('x').execute();
      expect(rows).toHaveLength(30_000);
      expect(rows.every((r, i) => r.x === i && r.s === `row-${i}`)).toBe(true);
      // The query, then one request per further chunk (250 rows each): never the whole at once.
      const asks = posted.mock.calls.filter(([m]) => (m as { next?: number }).next !== undefined);
      expect(asks).toHaveLength(119);
      expect((await db.selectFrom('t').select('x').where('x', '<', 5).execute()).map((r) => r.x)).toEqual([
        0, 1, 2, 3, 4,
      ]);
    } finally {
      posted.mockRestore();
      await db.destroy();
      await cleanup();
    }
  });
});

describe('SQLite read worker priority', () => {
  const own = process.platform === 'linux' ? niceByThread().get(String(process.pid)) : undefined;
  // Already at the lowest priority (a `nice -n 19` run), no thread can be lowered further.
  it.runIf(own !== undefined && own < 19)(
    'runs its thread at nice 19 and leaves the rest of the process (the proxy) where it was',
    async () => {
      const { dir, cleanup } = await tempDir();
      const file = join(dir, 'nice.sqlite');
      new Database(file).exec('create table t (x integer); insert into t values (1)');
      const before = niceByThread();
      const db = new Kysely<{ t: { x: number } }>({ dialect: new WorkerSqliteDialect(file) });
      try {
        await db.selectFrom('t').select('x').execute();
        const started = [...niceByThread()].filter(([tid]) => !before.has(tid));
        expect(started.map(([, nice]) => nice)).toContain(19);
        expect(niceByThread().get(String(process.pid))).toBe(own);
      } finally {
        await db.destroy();
        await cleanup();
      }
    },
  );
});
