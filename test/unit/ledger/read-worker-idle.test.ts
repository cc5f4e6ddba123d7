// The SQLite read worker must not keep the process alive while no query is pending: `shimmy`
// commands that open the ledger exit by themselves, and an idle `serve` exits on its own signals.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { WorkerSqliteDialect } from '../../../main/core/store/sqlite/worker-dialect.js';
import { tempDir } from './helpers.js';

const ports = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;

describe('SQLite read worker', () => {
  it('holds no active handle while idle: once started, and after a query', async () => {
    const { dir, cleanup } = await tempDir();
    const file = join(dir, 'idle.sqlite');
    new Database(file).exec('create table t (x integer); insert into t values (42)');
    const before = ports();
    // Started, no query yet (open-sqlite.ts starts it while the migrations run).
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
