// The log's free-text search through the `terms` dictionary (migration 0003): the same answers a
// substring scan gave, on both engines, for values written before a restart or before the upgrade.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerRecord } from '../../../shared/ledger.js';
import { migrate } from '../../../main/core/store/migrations.js';
import { toRow } from '../../../main/core/store/record-row.js';
import { insertRequests } from '../../../main/core/store/statements.js';
import type { LedgerSchema } from '../../../main/core/store/schema.js';
import { bareDatabase, describeEngines, opener, record, tempDir } from './helpers.js';
import { postgresMissing } from '../../support/postgres.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
const ids = (rs: LedgerRecord[]) => rs.map((r) => r.id);

const named = record({
  id: '7f3c2a10-aaaa-4bbb-8ccc-000000000001',
  time: '2024-05-01T10:00:00.000Z',
  provider: 'OpenRouter',
  path: '/v1/responses',
  keyLabel: 'work-key',
  errorClass: 'upstream_unreachable',
  client: 'Claude-Code',
  session: 'sess-abc123',
  project: 'Apollo',
  user: 'bob',
});
const plain = record({ id: '0a1b2c3d-aaaa-4bbb-8ccc-000000000002', time: '2024-05-01T11:00:00.000Z' });

describeEngines('log text search', (kind) => {
  const open = opener(kind);
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(() => cleanup());

  it('matches a part of any name, an id or session id from its start, in any case, across a restart', async () => {
    const l = await open(dir);
    l.append(named);
    l.append(plain);
    await l.close();
    const again = await open(dir);
    again.append(record({ id: 'later-1', time: '2024-05-01T12:00:00.000Z', user: 'Carol' }));
    const found = async (text: string) => ids((await again.query({ text })).records);
    for (const text of ['router', 'RESPONSES', 'work-k', 'stream_unre', 'claude-c', 'pollo', 'BOB'])
      expect(await found(text), text).toEqual([named.id]);
    expect(await found('7F3C2A')).toEqual([named.id]);
    expect(await found('sess-abc')).toEqual([named.id]);
    expect(await found('carol')).toEqual(['later-1']);
    // LIKE's wildcards are plain characters here.
    expect(await found('upstream%unreachable')).toEqual([]);
    expect(await found('upstream_u')).toEqual([named.id]);
    expect(await found('upstreamXu')).toEqual([]);
    // Only ids and sessions match from their start (they are unique; names match anywhere).
    expect(await found('abc123')).toEqual([]);
    expect(await found('nothing-like-it')).toEqual([]);
    // The export takes the same search.
    const { PassThrough } = await import('node:stream');
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    await again.exportTo('jsonl', { text: 'apollo' }, out);
    expect(
      text
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as LedgerRecord).id),
    ).toEqual([named.id]);
    await again.close();
  });
});

describe('log search on a ledger from before the search dictionary (SQLite)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(() => cleanup());

  it('fills the dictionary from the stored detail on upgrade', async () => {
    const file = join(dir, 'ledger.sqlite');
    const old = new Kysely<LedgerSchema>({ dialect: new SqliteDialect({ database: new Database(file) }) });
    await migrate(old as Kysely<unknown>, 'sqlite', '0002-client-session');
    await insertRequests(old, [toRow(named, '2024-05-01'), toRow(plain, '2024-05-01')]).execute();
    await old.destroy();

    const l = await opener('sqlite')(dir);
    expect(ids((await l.query({ text: 'claude-c' })).records)).toEqual([named.id]);
    expect(ids((await l.query({ text: 'gpt-4o' })).records)).toEqual([plain.id, named.id]);
    await l.close();
  });
});

describe('log queries use indexes, not a scan of every record (SQLite)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(() => cleanup());

  it('answers a text naming nothing, a tool + model, a status and a tool + model + status filter through indexes', async () => {
    const l = await opener('sqlite')(dir);
    for (let i = 0; i < 50; i++)
      l.append(record({ id: `r${i}`, time: new Date(Date.UTC(2024, 4, 1) + i * 60_000).toISOString() }));
    await l.close();

    // The ledger's own query code, on a connection that keeps each statement it runs.
    const file = join(dir, 'ledger.sqlite');
    const raw = new Database(file);
    const seen: { sql: string; parameters: readonly unknown[] }[] = [];
    const db = new Kysely<LedgerSchema>({
      dialect: new SqliteDialect({ database: raw }),
      log: (e) => void (e.level === 'query' && seen.push(e.query)),
    });
    const { logPage } = await import('../../../main/core/store/ledger-queries.js');
    const planOf = async (q: Parameters<typeof logPage>[1]) => {
      seen.length = 0;
      await logPage(db, q, 'sqlite');
      const last = seen.find((s) => /from "requests"/.test(s.sql) && /order by/.test(s.sql));
      if (!last) throw new Error('no log query ran');
      const plan = raw.prepare(`explain query plan ${last.sql}`).all(...(last.parameters as unknown[]));
      return (plan as { detail: string }[]).map((p) => p.detail).join(' | ');
    };
    const nothing = await planOf({ text: 'zzz-nothing' });
    expect(nothing).not.toMatch(/SCAN requests/);
    expect(nothing).toMatch(/requests_id/);
    expect(await planOf({ tool: 'no-such-tool', model: 'gpt-4o' })).toMatch(/requests_tool_model_time/);
    // Status indexes hold only the non-200 rows (0006): a 429 filter finds its rows there.
    expect(await planOf({ status: 429 })).toMatch(/requests_error_time/);
    expect(await planOf({ tool: 'aider', model: 'gpt-4o-mini', status: 429 })).toMatch(
      /requests_tool_model_error_time \(tool=\? AND model=\? AND status=\?\)/,
    );
    await db.destroy();
  });
});

describe.skipIf(postgresMissing)('log search by id or session prefix uses an index on Postgres', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(() => cleanup());

  it('matches `LIKE prefix%` through an index, whatever the database locale', async () => {
    const l = await opener('postgres')(dir);
    l.append(record({ id: 'abc-1', time: '2024-05-01T00:00:00.000Z', session: 'sess-1' }));
    await l.close();
    const db = await bareDatabase('postgres', dir);
    try {
      const plans = await db.connection().execute(async (c) => {
        // A table this small is read whole by choice; forbid that to see whether an index can serve.
        await sql`set enable_seqscan = off`.execute(c);
        const plan = async (q: ReturnType<typeof sql<unknown>>) =>
          ((await sql`explain ${q}`.execute(c)).rows as { 'QUERY PLAN': string }[])
            .map((r) => r['QUERY PLAN'])
            .join(' | ');
        return [
          await plan(sql`select id from requests where id like 'zzz%'`),
          await plan(sql`select id from requests where session like 'zzz%'`),
        ];
      });
      expect(plans[0]).toMatch(/requests_id_prefix/);
      expect(plans[1]).toMatch(/requests_session_prefix/);
    } finally {
      await db.destroy();
    }
  });
});
