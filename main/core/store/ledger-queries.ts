// Every question the dashboard and CLI ask the ledger, as Kysely queries that read the same on
// SQLite and Postgres: log pages (newest first, id cursor), one record, export pages, usage
// groupings (from the roll-up tables when they can answer, else from detail), retention deletes.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CompiledQuery, sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { LedgerRecord, UsageGroup, UsageRow } from '../../../shared/ledger.js';
import type { LogQuery, UsageQuery } from '../ledger/types.js';
import { bucketToRow, type Bucket, type RollupEntry } from '../ledger/rollups.js';
import { fromE10, fromRow } from './record-row.js';
import type { EngineKind } from './migrations.js';
import type { LedgerSchema, RollupTable, TermsTable } from './schema.js';
import { PLAN_ROW, WIDE_FROM_KEY } from './migrations.js';
import { matchText, textCondition, type TextMatch } from './text-search.js';
import { CSV_LINE } from './csv-sql.js';
import type { ExportPlan } from './export-plan.js';
import { csvLinePostgres } from './postgres/csv-sql.js';
import { hashCollides, hashedFilter } from './postgres/hashed-keys.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

type Eb = ExpressionBuilder<LedgerSchema, 'requests'>;
interface Cursor {
  time_ms: number;
  seq: number;
}

function where(s: Search, cursor: Cursor | undefined) {
  const { q, text, kind } = s;
  return (eb: Eb) => {
    const and = [];
    if (kind === 'postgres') and.push(...hashedFilter(q.tool, q.model, !s.collides));
    else {
      if (q.tool !== undefined) and.push(eb('tool', '=', q.tool));
      if (q.model !== undefined) and.push(eb('model', '=', q.model));
    }
    if (q.status === 'ok') and.push(eb('status', '<', sql.lit<number>(400)));
    else if (q.status === 'error') and.push(eb('status', '>=', sql.lit<number>(400)));
    else if (q.status !== undefined) and.push(eb('status', '=', q.status));
    // Said in so many words, so SQLite may use the indexes that hold only non-200 rows (0006).
    if (q.status !== undefined && q.status !== 200 && q.status !== 'ok')
      and.push(eb('status', '<>', sql.lit<number>(200)));
    if (q.since) and.push(eb('time_ms', '>=', q.since.getTime()));
    if (q.until) and.push(eb('time_ms', '<', q.until.getTime()));
    if (cursor) and.push(eb(eb.refTuple('time_ms', 'seq'), '<', eb.tuple(cursor.time_ms, cursor.seq)));
    if (text) and.push(textCondition(eb, text, kind));
    return eb.and(and);
  };
}

export async function cursorOf(db: Kysely<LedgerSchema>, id: string): Promise<Cursor | undefined> {
  return db.selectFrom('requests').select(['time_ms', 'seq']).where('id', '=', id).executeTakeFirst();
}

/** A log query with its text search resolved against the dictionary (once per query, not per page). */
interface Search {
  q: LogQuery;
  text: TextMatch | undefined;
  kind: EngineKind;
  /** Postgres: another name shares the tool/model filter's hash (hashed-keys.ts). */
  collides: boolean;
}

async function search(db: Kysely<LedgerSchema>, q: LogQuery, kind: EngineKind): Promise<Search> {
  return {
    q,
    kind,
    text: q.text ? await matchText(db, q.text) : undefined,
    collides: kind === 'postgres' && (await hashCollides(db, q.tool, q.model)),
  };
}

/** Up to `limit` matching rows strictly after `cursor`, newest first. */
async function rowsAfter(db: Kysely<LedgerSchema>, s: Search, cursor: Cursor | undefined, limit: number) {
  return db
    .selectFrom('requests')
    .selectAll()
    .where(where(s, cursor))
    .orderBy('time_ms', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

export async function logPage(
  db: Kysely<LedgerSchema>,
  q: LogQuery,
  kind: EngineKind = 'sqlite',
): Promise<{ records: LedgerRecord[]; nextBefore?: string }> {
  const limit = Math.min(Math.max(1, Math.floor(q.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
  const cursor = q.before === undefined ? undefined : await cursorOf(db, q.before);
  if (q.before !== undefined && !cursor) return { records: [] };
  const rows = await rowsAfter(db, await search(db, q, kind), cursor, limit + 1);
  const records = rows.slice(0, limit).map(fromRow);
  const last = records[records.length - 1];
  return rows.length > limit && last ? { records, nextBefore: last.id } : { records };
}

export async function getRecord(db: Kysely<LedgerSchema>, id: string): Promise<LedgerRecord | undefined> {
  const row = await db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** Stand-ins for a page's cursor and size in its compiled query, replaced page by page. */
const AT_TIME = Number.MIN_SAFE_INTEGER;
const AT_SEQ = Number.MIN_SAFE_INTEGER + 1;
const PAGE_SIZE = Number.MIN_SAFE_INTEGER + 2;

interface CsvPage {
  text: Uint8Array | string | null;
  n: number | string;
  last_time: number | string | null;
  last_seq: number | string | null;
}
/** Before every record: the first page's cursor, so every page runs the one compiled query. */
const NEWEST: Cursor = { time_ms: Number.MAX_SAFE_INTEGER, seq: Number.MAX_SAFE_INTEGER };

/** An export's page query, compiled once, run page after page with its cursor and size bound. */
function pageRunner<R>(db: Kysely<LedgerSchema>, compiled: CompiledQuery<R>) {
  return async (at: Cursor, n: number): Promise<R[]> => {
    const parameters = compiled.parameters.map((p) =>
      p === AT_TIME ? at.time_ms : p === AT_SEQ ? at.seq : p === PAGE_SIZE ? n : p,
    );
    return (await db.executeQuery<R>({ ...compiled, parameters })).rows;
  };
}

/** An export's page of whole rows (JSONL), its cursor and size stand-ins bound page by page. */
function recordPageQuery(db: Kysely<LedgerSchema>, s: Search) {
  return db
    .selectFrom('requests')
    .selectAll()
    .where(where(s, { time_ms: AT_TIME, seq: AT_SEQ }))
    .orderBy('time_ms', 'desc')
    .orderBy('seq', 'desc')
    .limit(PAGE_SIZE)
    .compile();
}

/** Every match (up to q.limit), newest first, a page per query so memory stays flat; the page
 *  query compiled once (see exportCsvPages). */
export async function* exportRecords(
  db: Kysely<LedgerSchema>,
  q: LogQuery,
  kind: EngineKind = 'sqlite',
  page = 200,
) {
  let cursor: Cursor | undefined = q.before === undefined ? NEWEST : await cursorOf(db, q.before);
  if (!cursor) return;
  const run = pageRunner(db, recordPageQuery(db, await search(db, q, kind)));
  let left = q.limit === undefined ? Infinity : Math.max(0, Math.floor(q.limit));
  while (left > 0) {
    const n = Math.min(page, left);
    const rows = await run(cursor, n);
    for (const row of rows) yield fromRow(row);
    const last = rows[rows.length - 1];
    if (!last || rows.length < n) return;
    left -= rows.length;
    cursor = { time_ms: Number(last.time_ms), seq: Number(last.seq) };
  }
}

/** An export's page as one CSV text (or BLOB) built by the database, with the next cursor. */
function csvPageQuery(db: Kysely<LedgerSchema>, s: Search, kind: EngineKind): CompiledQuery<CsvPage> {
  const line = kind === 'sqlite' ? CSV_LINE : csvLinePostgres();
  const rows = db
    .selectFrom('requests')
    .select(['time_ms', 'seq', line.as('line')])
    .where(where(s, { time_ms: AT_TIME, seq: AT_SEQ }))
    .orderBy('time_ms', 'desc')
    .orderBy('seq', 'desc')
    .limit(PAGE_SIZE);
  return db
    .with('page', () => rows)
    .selectFrom('page')
    .select((eb) => [
      // As a BLOB: the page reaches this thread as bytes outside the JS heap (a 170 kB string
      // per page went to V8's large-object space and brought on mark-compacts, 10–16 ms each).
      (kind === 'sqlite'
        ? sql<Uint8Array | string | null>`CAST(string_agg(line, '' order by time_ms desc, seq desc) AS BLOB)`
        : sql<Uint8Array | string | null>`string_agg(line, '' order by time_ms desc, seq desc)`
      ).as('text'),
      eb.fn.countAll<number>().as('n'),
      // The page's last row (oldest): the next page's cursor.
      eb.selectFrom('page').select('time_ms').orderBy('time_ms').orderBy('seq').limit(1).as('last_time'),
      eb.selectFrom('page').select('seq').orderBy('time_ms').orderBy('seq').limit(1).as('last_seq'),
    ])
    .compile();
}

/**
 * The CSV export's pages as UTF-8 bytes, built on SQLite's read worker (store/csv-sql.ts): each page
 * is one buffer handed over, so the main thread neither formats rows nor collects their garbage.
 * Same order, filters, cursor and limit as exportRecords. The page query (its CSV expression is
 * ~11 kB of SQL) is built and compiled once per export, not per page: Kysely's builders and
 * compiler were ~1 ms of the proxy's thread and most of its garbage per page.
 */
export async function* exportCsvPages(
  db: Kysely<LedgerSchema>,
  q: LogQuery,
  kind: EngineKind = 'sqlite',
  // Postgres hands a page over as text: 300 lines (~50 kB) stay a young-generation string.
  page = kind === 'sqlite' ? 1000 : 300,
) {
  let cursor: Cursor | undefined = q.before === undefined ? NEWEST : await cursorOf(db, q.before);
  if (!cursor) return;
  const run = pageRunner<CsvPage>(db, csvPageQuery(db, await search(db, q, kind), kind));
  let left = q.limit === undefined ? Infinity : Math.max(0, Math.floor(q.limit));
  while (left > 0) {
    const n = Math.min(page, left);
    const out: CsvPage | undefined = (await run(cursor, n))[0];
    if (!out) return;
    if (out.text) yield out.text;
    if (Number(out.n) < n) return;
    left -= Number(out.n);
    cursor = { time_ms: Number(out.last_time), seq: Number(out.last_seq) };
  }
}

/** Rows per page query of an export run on a worker (CSV lines / JSONL records). */
const WORKER_PAGE = { csv: 1000, jsonl: 500 } as const;

/**
 * An export as a worker runs it (ledger-engine.ts exportPages): the page query compiled here once,
 * the rest — paging, decoding, formatting — on the worker. Undefined when `q.before` names no record.
 */
export async function exportPlan(
  db: Kysely<LedgerSchema>,
  q: LogQuery,
  kind: EngineKind,
  format: 'csv' | 'jsonl',
): Promise<ExportPlan | undefined> {
  const cursor: Cursor | undefined = q.before === undefined ? NEWEST : await cursorOf(db, q.before);
  if (!cursor) return undefined;
  const s = await search(db, q, kind);
  const records = recordPageQuery(db, s);
  const { sql: text, parameters } = format === 'csv' ? csvPageQuery(db, s, kind) : records;
  return {
    format,
    sql: text,
    parameters,
    recordSql: records.sql,
    recordParameters: records.parameters,
    placeholders: [AT_TIME, AT_SEQ, PAGE_SIZE],
    cursor: { time_ms: Number(cursor.time_ms), seq: Number(cursor.seq) },
    page: WORKER_PAGE[format],
    ...(q.limit === undefined ? {} : { limit: Math.max(0, Math.floor(q.limit)) }),
  };
}

/** The narrow roll-up table that can answer a grouping, or undefined when only detail can. */
function narrowFor(by: readonly UsageGroup[]): RollupTable | undefined {
  const rest = by.filter((g) => g !== 'tool' && g !== 'day');
  if (rest.length === 0 || (rest.length === 1 && rest[0] === 'model')) return 'rollup_model';
  if (rest.length === 1 && rest[0] === 'user') return 'rollup_user';
  if (rest.length === 1 && rest[0] === 'project') return 'rollup_project';
  return undefined;
}

/** The first day the wide roll-up holds (migration 0005); '' = every day. */
async function wideFrom(db: Kysely<LedgerSchema>): Promise<string> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', WIDE_FROM_KEY).executeTakeFirst();
  return row?.value ?? '';
}

const dayBefore = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

interface SumRow {
  requests: number;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost_e10: number | null;
  unpriced: number;
  saved_e10: number | null;
  cache_write_1h_tokens: number | null;
  web_search_requests: number | null;
}

function bucketOf(r: SumRow): Bucket {
  return {
    requests: Number(r.requests),
    inputTokens: Number(r.input_tokens),
    cachedInputTokens: Number(r.cached_input_tokens),
    cacheWriteTokens: Number(r.cache_write_tokens),
    outputTokens: Number(r.output_tokens),
    reasoningTokens: Number(r.reasoning_tokens),
    costUsd: fromE10(Number(r.cost_e10 ?? 0)),
    unpriced: Number(r.unpriced),
    savedUsd: fromE10(Number(r.saved_e10 ?? 0)),
    cacheWrite1hTokens: Number(r.cache_write_1h_tokens ?? 0),
    webSearchRequests: Number(r.web_search_requests ?? 0),
  };
}

const SUMMED = [
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cache_write_1h_tokens',
  'web_search_requests',
] as const;

type AnyDb = Kysely<Record<string, Record<string, string | number | null>>>;

/** One grouping's sums from one source (a roll-up table or detail) over a day range, as a query. */
function sumsQuery(
  db: Kysely<LedgerSchema>,
  from: 'rollup_wide' | RollupTable | 'requests',
  keys: readonly UsageGroup[],
  q: { since?: string; until?: string; tool?: string },
) {
  const t = db as unknown as AnyDb;
  let query = t.selectFrom(from).select(keys).groupBy(keys);
  if (q.since) query = query.where('day', '>=', q.since);
  if (q.until) query = query.where('day', '<=', q.until);
  if (q.tool !== undefined) query = query.where('tool', '=', q.tool);
  const rolled = from !== 'requests';
  query = query.select((eb) => [
    ...SUMMED.map((c) => eb.fn.sum(c).as(c)),
    eb.fn.sum('cost_e10').as('cost_e10'),
    eb.fn.sum('saved_e10').as('saved_e10'),
    ...(rolled
      ? [eb.fn.sum('requests').as('requests'), eb.fn.sum('unpriced').as('unpriced')]
      : [
          eb.fn.countAll().as('requests'),
          eb.fn.sum(eb.case().when('cost_e10', 'is', null).then(1).else(0).end()).as('unpriced'),
        ]),
  ]);
  return query;
}

async function sumsFrom(...args: Parameters<typeof sumsQuery>) {
  return (await sumsQuery(...args).execute()) as unknown as GroupRow[];
}

const WIDE_GROUPS: readonly UsageGroup[] = ['tool', 'model', 'day', 'user', 'project', 'client'];
/** Keys whose '' in the roll-ups stands for "named no one", like a null in detail. */
const OPTIONAL_KEYS: readonly UsageGroup[] = ['user', 'project', 'client', 'session'];

type GroupRow = SumRow & Record<UsageGroup, string | null>;

/**
 * The parts' sums merged, grouped by `by` and ordered costliest first, all in SQL: the main thread
 * (the proxy's) only turns the groups into rows, a slice per turn (issue 15: ≤ 10 ms blocked).
 * Ties (same cost and requests) go by their keys in order, byte-wise, a key that names no one last.
 */
async function groupedInSql(
  db: Kysely<LedgerSchema>,
  kind: EngineKind,
  parts: ReturnType<typeof sumsQuery>[],
  by: readonly UsageGroup[],
): Promise<GroupRow[]> {
  const [first, ...rest] = parts;
  if (!first) return [];
  const t = db as unknown as AnyDb;
  const union = rest.reduce((u, p) => u.unionAll(p), first);
  const cols = [...SUMMED, 'saved_e10', 'requests', 'unpriced'] as const;
  type Eb = ExpressionBuilder<Record<'p', Record<string, string | number | null>>, 'p'>;
  // '' in the roll-ups stands for "named no one", like a null in detail. A literal, not a
  // parameter, so Postgres sees the select's expression and the group's as one.
  const key = (eb: Eb, g: UsageGroup) =>
    OPTIONAL_KEYS.includes(g) ? eb.fn<string | null>('nullif', [eb.ref(g), sql.lit('')]) : eb.ref(g);
  let query = t
    .selectFrom(union.as('p'))
    .select((eb) => [
      ...by.map((g) => key(eb, g).as(g)),
      ...cols.map((c) => eb.fn.sum(c).as(c)),
      // All unpriced sums to null: ranked as $0, as it is shown.
      eb.fn.coalesce(eb.fn.sum('cost_e10'), sql.lit(0)).as('cost_e10'),
    ])
    .orderBy('cost_e10', 'desc')
    .orderBy('requests', 'desc');
  for (const g of by)
    query = query.orderBy(
      (eb) => key(eb, g),
      // Postgres's `day` is a date (its own order is the text's); text compares byte-wise in "C".
      (ob) => (kind === 'postgres' && g !== 'day' ? ob.asc().collate('C').nullsLast() : ob.asc().nullsLast()),
    );
  if (by.length > 0) query = query.groupBy((eb) => by.map((g) => key(eb, g)));
  // Grouping by nothing: an empty range gives no row, not one of nulls.
  else query = query.having((eb) => eb.fn.countAll(), '>', sql.lit(0));
  if (kind === 'postgres') return (await fetchInBatches(db, query.compile())) as unknown as GroupRow[];
  return (await query.execute()) as unknown as GroupRow[];
}

/**
 * Rows per FETCH of a Postgres grouping's cursor. `pg` decodes a result as its bytes arrive, and
 * the socket's bytes arrive together: 15,000 rows of a 30-day day × tool × user grouping were
 * decoded in one turn of the proxy's event loop (12.6 ms of its CPU at 1M records). A fetch of
 * 500 is ~0.5 ms of decoding, and the loop turns between two fetches.
 */
const FETCH_ROWS = 500;

/** A Postgres query's rows, fetched through a cursor FETCH_ROWS at a time, in one read-only transaction. */
async function fetchInBatches<R>(db: Kysely<LedgerSchema>, q: CompiledQuery<R>): Promise<R[]> {
  return db
    .transaction()
    .setAccessMode('read only')
    .execute(async (trx) => {
      await trx.executeQuery(
        CompiledQuery.raw(`declare usage_rows no scroll cursor for ${q.sql}`, [...q.parameters]),
      );
      const out: R[] = [];
      for (;;) {
        const { rows } = await trx.executeQuery<R>(CompiledQuery.raw(`fetch ${FETCH_ROWS} from usage_rows`));
        for (const r of rows) out.push(r);
        if (rows.length < FETCH_ROWS) return out;
      }
    });
}

/**
 * Rows turned into usage rows between two turns of the event loop: at most this many, and fewer
 * once a slice has taken SLICE_MS. The first grouping of its shape runs unoptimized code (day ×
 * tool × user at 1M, 1,500 rows: 12–15 ms on this thread the first time, 4–7 ms once warm), so
 * slices of 1,000 rows held the proxy past issue 15's 10 ms exactly then.
 */
const SLICE_ROWS = 200;
const SLICE_MS = 2;
/** How often a slice looks at the clock. */
const CLOCK_EVERY = 25;

/** SQL's groups, in its order, as usage rows: keys first (those naming no one left out), then sums. */
async function toUsageRows(rows: readonly GroupRow[], by: readonly UsageGroup[]): Promise<UsageRow[]> {
  const out: UsageRow[] = [];
  let sliceStart = performance.now();
  let inSlice = 0;
  for (const r of rows) {
    if (
      inSlice === SLICE_ROWS ||
      (inSlice > 0 && inSlice % CLOCK_EVERY === 0 && performance.now() - sliceStart >= SLICE_MS)
    ) {
      await nextTurn();
      sliceStart = performance.now();
      inSlice = 0;
    }
    inSlice++;
    const row: Partial<Record<UsageGroup, string>> = {};
    for (const g of by) {
      const v = r[g];
      if (v !== null && v !== undefined) row[g] = String(v);
    }
    out.push(Object.assign(row, bucketToRow(bucketOf(r))));
  }
  return out;
}

export async function usageRows(
  db: Kysely<LedgerSchema>,
  q: UsageQuery,
  kind: EngineKind = 'sqlite',
): Promise<UsageRow[]> {
  // A session belongs to one tool and one client: naming them splits no row and says whose it is.
  const by: UsageGroup[] = q.by.includes('session')
    ? [...new Set<UsageGroup>(['tool', 'client', ...q.by])]
    : [...new Set(q.by)];
  // Grouping by nothing still groups by tool inside: the parts need a key to group by.
  const keys = by.length > 0 ? by : (['tool'] as UsageGroup[]);
  const range = { ...(q.tool !== undefined ? { tool: q.tool } : {}) };
  const parts: ReturnType<typeof sumsQuery>[] = [];
  if (!keys.every((k) => WIDE_GROUPS.includes(k))) {
    // By session: only detail knows (the retention window).
    parts.push(sumsQuery(db, 'requests', keys, { ...range, ...dayRange(q.since, q.until) }));
  } else {
    // Days from `from` on are in the wide roll-up; days before it (pruned before migration 0005)
    // in the narrow ones, or — for a mix they cannot answer — in whatever detail is left.
    const from = await wideFrom(db);
    const wideSince = from && (!q.since || q.since < from) ? from : q.since;
    if (!q.until || !wideSince || wideSince <= q.until)
      parts.push(sumsQuery(db, 'rollup_wide', keys, { ...range, ...dayRange(wideSince, q.until) }));
    if (from && (!q.since || q.since < from)) {
      const until = q.until && q.until < from ? q.until : dayBefore(from);
      parts.push(
        sumsQuery(db, narrowFor(keys) ?? 'requests', keys, { ...range, ...dayRange(q.since, until) }),
      );
    }
  }
  return toUsageRows(await groupedInSql(db, kind, parts, by), by);
}

const dayRange = (since: string | undefined, until: string | undefined) => ({
  ...(since ? { since } : {}),
  ...(until ? { until } : {}),
});

/** Every tool × model × day roll-up (the narrow table's legacy days, then the wide one's), as the
 *  in-memory Rollups load them. */
export async function rollupEntries(db: Kysely<LedgerSchema>): Promise<RollupEntry[]> {
  const [narrow, wide] = await Promise.all([
    db.selectFrom('rollup_model').selectAll().execute(),
    sumsFrom(db, 'rollup_wide', ['day', 'tool', 'model'], {}),
  ]);
  const rows = [...narrow, ...(wide as unknown as typeof narrow)];
  return rows.map((r) => {
    const b = bucketOf(r);
    return [
      r.day,
      r.tool,
      r.model,
      b.requests,
      b.inputTokens,
      b.cachedInputTokens,
      b.cacheWriteTokens,
      b.outputTokens,
      b.reasoningTokens,
      b.costUsd,
      b.unpriced,
      b.savedUsd,
      b.cacheWrite1hTokens,
      b.webSearchRequests,
    ];
  });
}

/** Deletes one chunk of detail older than `cutoffMs`; returns how many rows went. */
export async function pruneChunk(
  db: Kysely<LedgerSchema>,
  cutoffMs: number,
  chunk: number,
  kind: EngineKind = 'sqlite',
): Promise<number> {
  let del = db
    .deleteFrom('requests')
    .where('seq', 'in', (eb) =>
      eb.selectFrom('requests').select('seq').where('time_ms', '<', cutoffMs).orderBy('time_ms').limit(chunk),
    );
  // Postgres has no index on seq alone (0008): the time range finds the chunk's rows through (time_ms, seq).
  if (kind === 'postgres') del = del.where('time_ms', '<', cutoffMs);
  const r = await del.executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The search dictionary as stored, for the write queue to skip values already there. */
export async function loadTerms(db: Kysely<LedgerSchema>): Promise<TermsTable[]> {
  return db.selectFrom('terms').select(['col', 'value']).limit(100_000).execute();
}

export interface PlanTrafficRow {
  provider: string;
  requests: number;
  /** What the plan's requests would have cost on the API (priced ones). */
  apiEquivalentUsd: number;
  /** Plan requests with no API price. */
  unpriced: number;
}

/** Plan traffic since `sinceMs` per provider: one aggregate over the plan rows' own index (0006). */
export async function planTraffic(
  db: Kysely<LedgerSchema>,
  sinceMs: number,
  kind: EngineKind,
): Promise<PlanTrafficRow[]> {
  const api =
    kind === 'sqlite'
      ? sql<number | null>`json_extract(extra, '$.apiEquivalentUsd')`
      : sql<number | null>`(extra::jsonb ->> 'apiEquivalentUsd')::float8`;
  const rows = await db
    .selectFrom('requests')
    .select((eb) => [
      'provider',
      eb.fn.countAll<number>().as('requests'),
      // In 1e-10 USD, summed as integers: exact, like every other sum of money here.
      eb.fn.sum<number | null>(sql`round(${api} * 10000000000)`).as('api_e10'),
      eb.fn.sum<number>(eb.case().when(api, 'is', null).then(1).else(0).end()).as('unpriced'),
    ])
    .where('time_ms', '>=', sinceMs)
    .where(sql.raw<boolean>(PLAN_ROW[kind]))
    .groupBy('provider')
    .execute();
  return rows.map((r) => ({
    provider: r.provider,
    requests: Number(r.requests),
    apiEquivalentUsd: fromE10(Number(r.api_e10 ?? 0)),
    unpriced: Number(r.unpriced),
  }));
}
