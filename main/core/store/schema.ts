// The ledger's tables as Kysely sees them: one typed schema for SQLite and Postgres alike.
// Money is an integer count of 1e-10 USD (`*_e10`), so sums in SQL are exact, never float drift.
import type { Generated } from 'kysely';

/** Usage and cost sums shared by every roll-up table. */
export interface SumColumns {
  requests: number;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost_e10: number;
  unpriced: number;
  saved_e10: number;
  cache_write_1h_tokens: number;
  web_search_requests: number;
}

/** A roll-up row's sums before anything is added to them. */
export function emptySums(): SumColumns {
  return {
    requests: 0,
    input_tokens: 0,
    cached_input_tokens: 0,
    cache_write_tokens: 0,
    output_tokens: 0,
    reasoning_tokens: 0,
    cost_e10: 0,
    unpriced: 0,
    saved_e10: 0,
    cache_write_1h_tokens: 0,
    web_search_requests: 0,
  };
}

export interface RequestsTable {
  /** Arrival order: the tie-breaker of the newest-first order and of cursors. */
  seq: Generated<number>;
  id: string;
  time_ms: number;
  /** Local day the record was counted under (the roll-ups' day); Postgres: a `date` (0009), read
   *  back as the same `YYYY-MM-DD` text (open-postgres.ts). */
  day: string;
  tool: string;
  provider: string;
  model: string;
  /** Postgres: NULL = same as provider; `path` NULL = its endpoint's canonical path (0009,
   *  postgres/compact-row.ts). SQLite stores both verbatim. */
  family: string | null;
  endpoint: string;
  path: string | null;
  /** Postgres stores it as smallint, and streamed / estimated / cache_hit as boolean (0009). */
  status: number;
  latency_ms: number;
  ttfb_ms: number | null;
  streamed: number;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  /** null = the record did not report it (kept apart from 0 so get() returns what was appended). */
  cache_write_1h_tokens: number | null;
  web_search_requests: number | null;
  cost_e10: number | null;
  estimated: number;
  cache_hit: number;
  saved_e10: number | null;
  error_class: string | null;
  user: string | null;
  project: string | null;
  key_label: string | null;
  /** User-Agent product and agent session id (migration 0002). */
  client: string | null;
  session: string | null;
  /** JSON of every field without a column (optional usage dimensions, failovers, newer fields). */
  extra: string | null;
}

export type RollupModelTable = SumColumns & { day: string; tool: string; model: string };
/** `user` '' = requests that named no user. */
export type RollupUserTable = SumColumns & { day: string; tool: string; user: string };
/** `project` '' = requests that named no project. */
export type RollupProjectTable = SumColumns & { day: string; tool: string; project: string };
/**
 * Every usage grouping but session, in one roll-up (migration 0005): per local day × tool × model ×
 * user × project × client ('' = the request named none). The write path's only roll-up since 0005;
 * the three narrow tables above keep only the days before `meta.rollup_wide_from` (days whose
 * detail retention had already pruned when 0005 ran, so no wide row could be built for them).
 */
export type RollupWideTable = SumColumns & {
  day: string;
  tool: string;
  model: string;
  user: string;
  project: string;
  client: string;
};

/** A request admitted but not yet recorded: its worst-case cost counts as spend if the process dies. */
export interface ReservationsTable {
  id: string;
  instance: string;
  time_ms: number;
  day: string;
  tool: string;
  cost_e10: number | null;
  /** JSON of the partial ledger record known at admission. */
  record: string;
}

export interface InstancesTable {
  instance: string;
  heartbeat_ms: number;
}

/**
 * Every distinct value of a searchable text column (migration 0003): the log's free-text search
 * matches these few values, then finds their rows through `col IN (…)`, instead of scanning text.
 */
export interface TermsTable {
  col: SearchColumn;
  value: string;
}

/** Low-cardinality text columns the log search matches by substring (through `terms`). */
export const SEARCH_COLUMNS = [
  'tool',
  'provider',
  'model',
  'path',
  'user',
  'project',
  'key_label',
  'error_class',
  'client',
] as const satisfies readonly (keyof RequestsTable)[];
export type SearchColumn = (typeof SEARCH_COLUMNS)[number];

export interface MetaTable {
  key: string;
  value: string;
}

export interface LedgerSchema {
  requests: RequestsTable;
  rollup_model: RollupModelTable;
  rollup_user: RollupUserTable;
  rollup_project: RollupProjectTable;
  rollup_wide: RollupWideTable;
  reservations: ReservationsTable;
  instances: InstancesTable;
  meta: MetaTable;
  terms: TermsTable;
}

export type RollupTable = 'rollup_model' | 'rollup_user' | 'rollup_project';

/** The key columns of the wide roll-up, in its primary key's order. */
export const WIDE_KEYS = ['day', 'tool', 'model', 'user', 'project', 'client'] as const;
export type WideKey = (typeof WIDE_KEYS)[number];
