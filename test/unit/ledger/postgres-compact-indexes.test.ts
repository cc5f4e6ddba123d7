// Postgres bytes per record (migration 0008): tool/model filters go through (hash, time) indexes,
// one unique text_pattern_ops index serves id equality, prefixes and ON CONFLICT, and a database
// from 0007 keeps its records and answers the same after the upgrade.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CompiledQuery, type Kysely } from 'kysely';
import { migrate } from '../../../main/core/store/migrations.js';
import { logPage } from '../../../main/core/store/ledger-queries.js';
import { toRow } from '../../../main/core/store/record-row.js';
import { insertRequests } from '../../../main/core/store/statements.js';
import type { LedgerSchema } from '../../../main/core/store/schema.js';
import type { LogQuery } from '../../../main/core/ledger/types.js';
import { postgresMissing } from '../../support/postgres.js';
import { bareDatabase, opener, record, tempDir } from './helpers.js';

const at = (i: number) => new Date(Date.UTC(2024, 4, 1) + i * 60_000).toISOString();
const ids = (rs: { id: string }[]) => rs.map((r) => r.id);

describe.skipIf(postgresMissing)('Postgres ledger indexes (0008)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(() => cleanup());

  it('answers tool, model, pair and pair + status filters through the hashed indexes', async () => {
    const l = await opener('postgres')(dir);
    for (let i = 0; i < 40; i++)
      l.append(
        record({
          id: `r${i}`,
          time: at(i),
          tool: i % 2 ? 'aider' : 'claude-code',
          status: i % 5 ? 200 : 429,
        }),
      );
    await l.close();
    // The ledger's own query code, on one connection that keeps each statement it runs.
    const seen: CompiledQuery[] = [];
    const db = (await bareDatabase('postgres', dir, (e) => {
      if (e.level === 'query') seen.push(e.query);
    })) as Kysely<LedgerSchema>;
    try {
      // A table this small is read whole by choice; forbid that to see whether an index can serve.
      await db.executeQuery(CompiledQuery.raw('set enable_seqscan = off'));
      await db.executeQuery(CompiledQuery.raw('analyze requests'));
      const planOf = async (q: LogQuery) => {
        seen.length = 0;
        await logPage(db, q, 'postgres');
        const last = seen.filter((s) => /from "requests"/.test(s.sql)).at(-1);
        if (!last) throw new Error('no log query ran');
        const plan = await db.executeQuery(CompiledQuery.raw(`explain ${last.sql}`, [...last.parameters]));
        return JSON.stringify(plan.rows);
      };
      expect(await planOf({ tool: 'no-such-tool' })).toMatch(/requests_tool_time/);
      expect(await planOf({ model: 'no-such-model' })).toMatch(/requests_model_time/);
      expect(await planOf({ tool: 'aider', model: 'no-such-model' })).toMatch(/requests_tool_model_time/);
      // With a status, the pair's rows are found by its hash (which of the two pair indexes is the
      // planner's pick at 40 rows; the bench's 1M records exercise the partial one).
      expect(await planOf({ tool: 'aider', model: 'no-such-model', status: 429 })).toMatch(
        /requests_tool_model_(error_)?time[^"]*"\},\{"QUERY PLAN":"[^"]*Index Cond: \(hashtextextended/,
      );
      // Same answers as the names would give.
      expect(ids((await logPage(db, { tool: 'aider', status: 429 }, 'postgres')).records)).toEqual([
        'r35',
        'r25',
        'r15',
        'r5',
      ]);
    } finally {
      await db.destroy();
    }
  });

  it('upgrades a 0007 database: its records stay, a duplicate id is still ignored, filters still match', async () => {
    const old = (await bareDatabase('postgres', dir)) as Kysely<LedgerSchema>;
    await migrate(old as Kysely<unknown>, 'postgres', '0007-postgres-prefix-search');
    await insertRequests(old, [
      toRow(record({ id: 'a-1', time: at(1), tool: 'aider' }), '2024-05-01'),
      toRow(record({ id: 'b-2', time: at(2), tool: 'cline', model: 'o3' }), '2024-05-01'),
    ]).execute();
    await old.destroy();

    const l = await opener('postgres')(dir);
    l.append(record({ id: 'a-1', time: at(3), tool: 'aider' })); // a retried id: ignored
    l.append(record({ id: 'c-3', time: at(4), tool: 'aider' }));
    await l.flush();
    expect(ids((await l.query({})).records)).toEqual(['c-3', 'b-2', 'a-1']);
    expect(ids((await l.query({ tool: 'aider' })).records)).toEqual(['c-3', 'a-1']);
    expect(ids((await l.query({ tool: 'cline', model: 'o3' })).records)).toEqual(['b-2']);
    expect(ids((await l.query({ text: 'b-' })).records)).toEqual(['b-2']);
    expect((await l.get('a-1'))?.time).toBe(at(1));
    await l.close();
  });
});
