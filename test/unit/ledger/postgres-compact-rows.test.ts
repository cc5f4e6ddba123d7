// Postgres bytes per record (migration 0009): the requests table rewritten with 8-byte columns
// first, narrow status/flags, a date for the day, and family/path NULL where they repeat provider /
// the endpoint's canonical path — every record still reads back exactly as appended, the search
// still finds a path stored as NULL, and a database from 0008 keeps its records and its indexes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { LedgerRecord } from '../../../shared/ledger.js';
import { migrate } from '../../../main/core/store/migrations.js';
import { toRow } from '../../../main/core/store/record-row.js';
import { insertRequests } from '../../../main/core/store/statements.js';
import type { LedgerSchema } from '../../../main/core/store/schema.js';
import { postgresMissing } from '../../support/postgres.js';
import { bareDatabase, opener, record, tempDir } from './helpers.js';

const at = (i: number) => new Date(Date.UTC(2024, 4, 1, 10) + i * 60_000).toISOString();

// Four shapes: everything canonical; a gateway-prefixed path; a family that is not the provider
// (an OpenAI-format client routed to Anthropic); Gemini's model-in-the-path route.
const records: LedgerRecord[] = [
  record({ id: 'canon', time: at(1), streamed: true, session: 's-1' }),
  record({
    id: 'prefixed',
    time: at(2),
    path: '/openai/v1/chat/completions',
    status: 429,
    errorClass: 'rate_limit',
  }),
  record({
    id: 'cross',
    time: at(3),
    provider: 'anthropic',
    family: 'openai',
    cacheHit: true,
    estimated: true,
  }),
  record({
    id: 'gemini',
    time: at(4),
    provider: 'gemini',
    family: 'gemini',
    endpoint: 'generate_content',
    path: '/v1beta/models/gemini-2.5-flash:generateContent',
    model: 'gemini-2.5-flash',
  }),
];

async function stored(dir: string) {
  const db = (await bareDatabase('postgres', dir)) as Kysely<LedgerSchema>;
  try {
    const cols = await sql<{ column_name: string; data_type: string }>`select column_name, data_type
      from information_schema.columns where table_name = 'requests' and column_name in
      ('day', 'status', 'streamed', 'estimated', 'cache_hit') order by column_name`.execute(db);
    const rows = await sql<{ id: string; family: string | null; path: string | null }>`select id, family, path
      from requests order by seq`.execute(db);
    const indexes = await sql<{ indexname: string }>`select indexname from pg_indexes
      where tablename = 'requests' order by 1`.execute(db);
    return { cols: cols.rows, rows: rows.rows, indexes: indexes.rows.map((r) => r.indexname) };
  } finally {
    await db.destroy();
  }
}

describe.skipIf(postgresMissing)('Postgres compact rows (0009)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(() => cleanup());

  it('stores narrow types and leaves out repeated text, yet reads every record back as appended', async () => {
    const l = await opener('postgres')(dir);
    for (const r of records) l.append(r);
    await l.flush();
    for (const r of records) expect(await l.get(r.id)).toEqual(r);
    expect((await l.query({})).records).toEqual([...records].reverse());
    // The search matches the canonical path a row no longer spells, and a prefixed one.
    expect((await l.query({ text: '/v1/chat/completions' })).records.map((r) => r.id)).toEqual([
      'cross',
      'prefixed',
      'canon',
    ]);
    // Grouped from detail (by session): the day comes back as the text it was written as.
    const bySession = await l.usage({ by: ['day', 'session'] });
    expect(bySession.map((r) => [r.day, r.session ?? '-']).sort()).toEqual([
      ['2024-05-01', '-'],
      ['2024-05-01', 's-1'],
    ]);
    await l.close();
    const s = await stored(dir);
    expect(s.cols).toEqual([
      { column_name: 'cache_hit', data_type: 'boolean' },
      { column_name: 'day', data_type: 'date' },
      { column_name: 'estimated', data_type: 'boolean' },
      { column_name: 'status', data_type: 'smallint' },
      { column_name: 'streamed', data_type: 'boolean' },
    ]);
    expect(s.rows).toEqual([
      { id: 'canon', family: null, path: null },
      { id: 'prefixed', family: null, path: '/openai/v1/chat/completions' },
      { id: 'cross', family: 'openai', path: null },
      { id: 'gemini', family: null, path: '/v1beta/models/gemini-2.5-flash:generateContent' },
    ]);
  });

  it('upgrades a 0008 database: records, ids, order and every index by name are kept', async () => {
    const old = (await bareDatabase('postgres', dir)) as Kysely<LedgerSchema>;
    await migrate(old as Kysely<unknown>, 'postgres', '0008-postgres-compact-indexes');
    await insertRequests(
      old,
      records.slice(0, 3).map((r) => toRow(r, '2024-05-01')),
    ).execute();
    await old.destroy();
    const before = (await stored(dir)).indexes;

    const l = await opener('postgres')(dir);
    l.append(records[0]!); // a retried id: still ignored
    l.append(records[3]!); // its seq follows the old rows'
    await l.flush();
    expect((await l.query({})).records).toEqual([...records].reverse());
    expect((await l.query({ limit: 2, before: 'prefixed' })).records.map((r) => r.id)).toEqual(['canon']);
    expect((await l.query({ tool: 'aider', status: 429 })).records.map((r) => r.id)).toEqual(['prefixed']);
    await l.close();
    const after = await stored(dir);
    expect(after.indexes).toEqual(before);
    expect(after.rows.map((r) => r.id)).toEqual(['canon', 'prefixed', 'cross', 'gemini']);
    expect(after.rows[0]).toEqual({ id: 'canon', family: null, path: null });
  });
});
