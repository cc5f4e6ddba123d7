// A start against a current SQLite ledger skips Kysely's Migrator (issue 16: 15–17 ms of serve's
// start-up CPU), and anything not current still migrates as before.
import { afterEach, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { migrate } from '../../../main/core/store/migrations.js';
import { bareDatabase, tempDir } from './helpers.js';

let tmp: { dir: string; cleanup: () => Promise<void> } | undefined;
let db: Kysely<unknown> | undefined;
afterEach(async () => {
  await db?.destroy();
  await tmp?.cleanup();
  db = tmp = undefined;
});

it('a current SQLite schema is checked with one query, not migrated again', async () => {
  tmp = await tempDir();
  let queries = 0;
  db = await bareDatabase('sqlite', tmp.dir, () => {
    queries++;
  });
  await migrate(db, 'sqlite');
  const first = queries;
  queries = 0;
  await migrate(db, 'sqlite');
  expect(first).toBeGreaterThan(10);
  expect(queries).toBe(1);
});

it('a SQLite schema behind this version still gets the rest of the migrations', async () => {
  tmp = await tempDir();
  db = await bareDatabase('sqlite', tmp.dir);
  await migrate(db, 'sqlite', '0004-config-document');
  await migrate(db, 'sqlite');
  const names = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  expect(names.rows.map((r) => r.name)).toHaveLength(9);
  expect(names.rows.at(-1)?.name).toBe('0009-postgres-compact-rows');
});
