// The write statements both engines run, built once with Kysely: insert records (a retried or
// duplicate id is ignored), add roll-up increments (upsert), journal and settle reservations.
import type { Kysely } from 'kysely';
import type { RequestRow } from './record-row.js';
import {
  WIDE_KEYS,
  type LedgerSchema,
  type ReservationsTable,
  type RollupTable,
  type SumColumns,
  type TermsTable,
} from './schema.js';
import type { RollupDelta, WideDelta } from './ledger-engine.js';

export const SUM_COLUMNS = [
  'requests',
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cost_e10',
  'unpriced',
  'saved_e10',
  'cache_write_1h_tokens',
  'web_search_requests',
] as const satisfies readonly (keyof SumColumns)[];

export const ROLLUP_KEY: Record<RollupTable, 'model' | 'user' | 'project'> = {
  rollup_model: 'model',
  rollup_user: 'user',
  rollup_project: 'project',
};

export function insertRequests(db: Kysely<LedgerSchema>, rows: readonly RequestRow[]) {
  return db
    .insertInto('requests')
    .values([...rows])
    .onConflict((oc) => oc.column('id').doNothing());
}

/** Column order of a roll-up insert: day, tool, key, then SUM_COLUMNS. */
export function rollupValues(d: RollupDelta): Record<string, string | number> {
  const v: Record<string, string | number> = { day: d.day, tool: d.tool, [ROLLUP_KEY[d.table]]: d.key };
  for (const c of SUM_COLUMNS) v[c] = d.sums[c];
  return v;
}

export function upsertRollups(db: Kysely<LedgerSchema>, table: RollupTable, deltas: readonly RollupDelta[]) {
  const key = ROLLUP_KEY[table];
  // One generic builder for three tables: their shapes differ only in the key column's name.
  const t = db as unknown as Kysely<Record<string, Record<string, string | number>>>;
  return t
    .insertInto(table)
    .values(deltas.map(rollupValues))
    .onConflict((oc) =>
      oc.columns(['day', 'tool', key]).doUpdateSet((eb) => {
        const set: Record<string, unknown> = {};
        for (const c of SUM_COLUMNS) set[c] = eb(eb.ref(`${table}.${c}`), '+', eb.ref(`excluded.${c}`));
        return set as never;
      }),
    );
}

/** Column order of a wide roll-up insert: WIDE_KEYS, then SUM_COLUMNS. */
export function wideValues(d: WideDelta): Record<string, string | number> {
  const v: Record<string, string | number> = {};
  for (const k of WIDE_KEYS) v[k] = d[k];
  for (const c of SUM_COLUMNS) v[c] = d.sums[c];
  return v;
}

export function upsertWide(db: Kysely<LedgerSchema>, deltas: readonly WideDelta[]) {
  return db
    .insertInto('rollup_wide')
    .values(deltas.map(wideValues) as never)
    .onConflict((oc) =>
      oc.columns([...WIDE_KEYS]).doUpdateSet((eb) => {
        const set: Record<string, unknown> = {};
        for (const c of SUM_COLUMNS) set[c] = eb(eb.ref(`rollup_wide.${c}`), '+', eb.ref(`excluded.${c}`));
        return set as never;
      }),
    );
}

export function insertReservations(db: Kysely<LedgerSchema>, rows: readonly ReservationsTable[]) {
  return db
    .insertInto('reservations')
    .values([...rows])
    .onConflict((oc) => oc.column('id').doNothing());
}

export function insertTerms(db: Kysely<LedgerSchema>, rows: readonly TermsTable[]) {
  return db
    .insertInto('terms')
    .values([...rows])
    .onConflict((oc) => oc.columns(['col', 'value']).doNothing());
}

export function deleteReservations(db: Kysely<LedgerSchema>, ids: readonly string[]) {
  return db.deleteFrom('reservations').where('id', 'in', [...ids]);
}
