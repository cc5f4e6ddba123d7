// Versioned schema migrations, run on every start through Kysely's Migrator (it records what ran
// and takes a lock, so two replicas starting at once against one Postgres do not both migrate).
// Never edit a migration that has shipped: add the next one.
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

export type EngineKind = 'sqlite' | 'postgres';

const sums = ['requests', 'input_tokens', 'cached_input_tokens', 'cache_write_tokens', 'output_tokens'];
const moreSums = [
  'reasoning_tokens',
  'cost_e10',
  'unpriced',
  'saved_e10',
  'cache_write_1h_tokens',
  'web_search_requests',
];

function v1(kind: EngineKind): Migration {
  // SQLite appends the rowid (seq) to every index entry by itself; Postgres needs it named.
  const bySeq = (cols: string[]) => (kind === 'postgres' ? [...cols, 'seq'] : cols);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('requests')
        .addColumn('seq', kind === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('time_ms', 'bigint', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('tool', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('family', 'text', (c) => c.notNull())
        .addColumn('endpoint', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('latency_ms', 'double precision', (c) => c.notNull())
        .addColumn('ttfb_ms', 'double precision')
        .addColumn('streamed', 'integer', (c) => c.notNull())
        .addColumn('input_tokens', 'bigint', (c) => c.notNull())
        .addColumn('cached_input_tokens', 'bigint', (c) => c.notNull())
        .addColumn('cache_write_tokens', 'bigint', (c) => c.notNull())
        .addColumn('output_tokens', 'bigint', (c) => c.notNull())
        .addColumn('reasoning_tokens', 'bigint', (c) => c.notNull())
        .addColumn('cache_write_1h_tokens', 'bigint')
        .addColumn('web_search_requests', 'bigint')
        .addColumn('cost_e10', 'bigint')
        .addColumn('estimated', 'integer', (c) => c.notNull())
        .addColumn('cache_hit', 'integer', (c) => c.notNull())
        .addColumn('saved_e10', 'bigint')
        .addColumn('error_class', 'text')
        .addColumn('user', 'text')
        .addColumn('project', 'text')
        .addColumn('key_label', 'text')
        .addColumn('extra', 'text')
        .execute();
      await db.schema.createIndex('requests_id').on('requests').column('id').unique().execute();
      await db.schema
        .createIndex('requests_time')
        .on('requests')
        .columns(bySeq(['time_ms']))
        .execute();
      await db.schema
        .createIndex('requests_tool_time')
        .on('requests')
        .columns(bySeq(['tool', 'time_ms']))
        .execute();
      await db.schema
        .createIndex('requests_model_time')
        .on('requests')
        .columns(bySeq(['model', 'time_ms']))
        .execute();

      for (const [table, key] of [
        ['rollup_model', 'model'],
        ['rollup_user', 'user'],
        ['rollup_project', 'project'],
      ] as const) {
        let t = db.schema
          .createTable(table)
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('tool', 'text', (c) => c.notNull())
          .addColumn(key, 'text', (c) => c.notNull());
        for (const col of [...sums, ...moreSums]) t = t.addColumn(col, 'bigint', (c) => c.notNull());
        await t.addPrimaryKeyConstraint(`${table}_pk`, ['day', 'tool', key]).execute();
      }

      await db.schema
        .createTable('reservations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('instance', 'text', (c) => c.notNull())
        .addColumn('time_ms', 'bigint', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('tool', 'text', (c) => c.notNull())
        .addColumn('cost_e10', 'bigint')
        .addColumn('record', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('instances')
        .addColumn('instance', 'text', (c) => c.primaryKey())
        .addColumn('heartbeat_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  };
}

/** Per-session attribution (issue 13): the client program and the agent session of each request. */
function v2(kind: EngineKind): Migration {
  const bySeq = (cols: string[]) => (kind === 'postgres' ? [...cols, 'seq'] : cols);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('requests').addColumn('client', 'text').execute();
      await db.schema.alterTable('requests').addColumn('session', 'text').execute();
      await db.schema
        .createIndex('requests_session_time')
        .on('requests')
        .columns(bySeq(['session', 'time_ms']))
        .execute();
    },
  };
}

/**
 * Log filters at 1M records (issue 15): the search's dictionary (schema.ts TermsTable), filled from
 * the detail already stored, and two indexes that keep a tool + model or a status filter from
 * walking a whole tool's or model's rows (measured: 240–615 ms → under 1 ms for a pair with none).
 */
function v3(kind: EngineKind): Migration {
  const bySeq = (cols: string[]) => (kind === 'postgres' ? [...cols, 'seq'] : cols);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('requests_tool_model_time')
        .on('requests')
        .columns(bySeq(['tool', 'model', 'time_ms']))
        .execute();
      await db.schema
        .createIndex('requests_status_time')
        .on('requests')
        .columns(bySeq(['status', 'time_ms']))
        .execute();
      await db.schema
        .createTable('terms')
        .addColumn('col', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('terms_pk', ['col', 'value'])
        .execute();
      const t = db as Kysely<Record<string, Record<string, string | null>>>;
      // Spelled out, not schema.ts's SEARCH_COLUMNS: a shipped migration must never change.
      const columns = [
        'tool',
        'provider',
        'model',
        'path',
        'user',
        'project',
        'key_label',
        'error_class',
        'client',
      ];
      for (const col of columns)
        await t
          .insertInto('terms')
          .columns(['col', 'value'])
          .expression((eb) =>
            eb
              .selectFrom('requests')
              .select([sql.lit(col).as('col'), col])
              .where(col, 'is not', null)
              .distinct(),
          )
          .execute();
    },
  };
}

/** The team server's config (issue 15): one versioned document per database, shared by replicas
 *  (main/core/config/postgres-config-store.ts). SQLite's instance keeps its config in config.json,
 *  the file a user can read, edit and back up, so there it adds nothing. */
function v4(kind: EngineKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (kind !== 'postgres') return;
      await db.schema
        .createTable('config_document')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('revision', 'bigint', (c) => c.notNull())
        .addColumn('doc', 'jsonb', (c) => c.notNull())
        .addColumn('updated_ms', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}

/** Where the three narrow roll-ups end and the wide one begins (meta key; '' = wide for every day). */
export const WIDE_FROM_KEY = 'rollup_wide_from';

/**
 * One wide roll-up instead of three narrow ones (issue 15): usage by any mix of tool, model, day,
 * user, project and client reads it (at 1M records user × model read every record: 10–17 s), and
 * a write batch upserts one row per key instead of three. Built from the detail of every day whose
 * detail is complete; days retention had already pruned stay in the narrow tables (their
 * user × model split is gone with the detail), see separateLegacyDays.
 */
function v5(kind: EngineKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // SQLite runs migrations outside a transaction: one of our own, so a kill mid-way leaves
      // nothing half-built (ifNotExists/delete make a re-run after a kill before the migrator's
      // own record idempotent too).
      if (kind === 'sqlite') await sql`begin immediate`.execute(db);
      try {
        const keys = ['day', 'tool', 'model', 'user', 'project', 'client'];
        let t = db.schema.createTable('rollup_wide').ifNotExists();
        for (const col of keys) t = t.addColumn(col, 'text', (c) => c.notNull());
        for (const col of [...sums, ...moreSums]) t = t.addColumn(col, 'bigint', (c) => c.notNull());
        t = t.addPrimaryKeyConstraint('rollup_wide_pk', keys as never);
        // One b-tree (the key) instead of a rowid table plus its key index: one page per upsert.
        if (kind === 'sqlite') t = t.modifyEnd(sql`without rowid`);
        await t.execute();
        await sql`delete from rollup_wide`.execute(db);
        await sql`insert into rollup_wide (day, tool, model, "user", project, client, requests,
            input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens,
            cost_e10, unpriced, saved_e10, cache_write_1h_tokens, web_search_requests)
          select day, tool, model, coalesce("user", ''), coalesce(project, ''), coalesce(client, ''),
            count(*), sum(input_tokens), sum(cached_input_tokens), sum(cache_write_tokens),
            sum(output_tokens), sum(reasoning_tokens), coalesce(sum(cost_e10), 0),
            sum(case when cost_e10 is null then 1 else 0 end), coalesce(sum(saved_e10), 0),
            coalesce(sum(cache_write_1h_tokens), 0), coalesce(sum(web_search_requests), 0)
          from requests
          group by day, tool, model, coalesce("user", ''), coalesce(project, ''), coalesce(client, '')`.execute(
          db,
        );
        await separateLegacyDays(db);
        if (kind === 'sqlite') await sql`commit`.execute(db);
      } catch (err) {
        if (kind === 'sqlite') await sql`rollback`.execute(db).catch(() => undefined);
        throw err;
      }
    },
  };
}

const nextDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Given the narrow roll-ups (all history) and a wide roll-up built from detail (the days detail
 * still holds), finds the days where detail is incomplete — its sums differ from rollup_model's —
 * and makes the tables disjoint: the narrow ones keep the days up to the last incomplete one, the
 * wide one every day after (meta `rollup_wide_from`). Used by migration 0005 and by the JSONL
 * import (whose roll-ups come from a snapshot that outlived its detail). Part of a shipped
 * migration: change it only by adding a new one.
 */
export async function separateLegacyDays(db: Kysely<unknown>): Promise<string> {
  const t = db as Kysely<Record<string, Record<string, string | number>>>;
  const narrow = await t
    .selectFrom('rollup_model')
    .select(['day', 'tool', 'model', 'requests', 'cost_e10', 'unpriced'])
    .execute();
  const wide = await t
    .selectFrom('rollup_wide')
    .select((eb) => [
      'day',
      'tool',
      'model',
      eb.fn.sum('requests').as('requests'),
      eb.fn.sum('cost_e10').as('cost_e10'),
      eb.fn.sum('unpriced').as('unpriced'),
    ])
    .groupBy(['day', 'tool', 'model'])
    .execute();
  const sig = (r: Record<string, unknown>) =>
    `${Number(r.requests)}/${Number(r.cost_e10)}/${Number(r.unpriced)}`;
  const got = new Map(wide.map((r) => [JSON.stringify([r.day, r.tool, r.model]), sig(r)]));
  let last = '';
  for (const r of narrow) {
    const day = String(r.day);
    if (day > last && got.get(JSON.stringify([day, r.tool, r.model])) !== sig(r)) last = day;
  }
  const from = last ? nextDay(last) : '';
  if (from) await t.deleteFrom('rollup_wide').where('day', '<', from).execute();
  for (const table of ['rollup_model', 'rollup_user', 'rollup_project'])
    await (from ? t.deleteFrom(table).where('day', '>=', from) : t.deleteFrom(table)).execute();
  await t
    .insertInto('meta')
    .values({ key: WIDE_FROM_KEY, value: from })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: from }))
    .execute();
  return from;
}

/** A plan-traffic row, spelled the same in the index (0006) and in the query, so the planner uses it. */
export const PLAN_ROW: Record<EngineKind, string> = {
  sqlite: `json_extract(extra, '$.plan') = 1`,
  postgres: `(extra::jsonb ->> 'plan') = 'true'`,
};

/**
 * What the commit of each request writes (issue 11's c=1 profile: the SQLite commit grew from 14.2%
 * to 18.9% of busy time with 0003's indexes) against what the log filters need (issue 15: tool +
 * model + status walked the pair's rows, 188–253 ms at 1M records). The status indexes hold only
 * the rows that are not 200 — the rare ones a status filter looks for; a filter on 200 walks the
 * time order and finds its page at once — so a 200 pays for neither; a request without a session
 * no longer pays for the session index; and SQLite's reservation journal (a write at admission, a
 * delete with the record) becomes one b-tree instead of a rowid table plus its key's index.
 * Queries name `status <> 200` beside their status (ledger-queries.ts) so SQLite sees it may use them.
 */
function v6(kind: EngineKind): Migration {
  const seq = kind === 'postgres' ? ', seq' : '';
  return {
    async up(db: Kysely<unknown>) {
      if (kind === 'sqlite') await sql`begin immediate`.execute(db);
      try {
        await sql`drop index if exists requests_status_time`.execute(db);
        await sql`drop index if exists requests_session_time`.execute(db);
        for (const [name, cols, where] of [
          ['requests_error_time', 'status, time_ms', 'status <> 200'],
          ['requests_tool_model_error_time', 'tool, model, status, time_ms', 'status <> 200'],
          ['requests_session_time', 'session, time_ms', 'session is not null'],
        ])
          await sql`create index if not exists ${sql.id(name!)} on requests (${sql.raw(cols! + seq)}) where ${sql.raw(where!)}`.execute(
            db,
          );
        // Plan traffic (the tools' own subscriptions; `plan` lives in `extra`), for /api/plans' week.
        // SQLite: with the expressions the query reads, so the index alone answers it.
        const planCols =
          kind === 'sqlite'
            ? `time_ms, provider, json_extract(extra, '$.apiEquivalentUsd'), json_extract(extra, '$.plan')`
            : `time_ms${seq}`;
        await sql`create index if not exists requests_plan_time on requests (${sql.raw(planCols)})
          where ${sql.raw(PLAN_ROW[kind])}`.execute(db);
        if (kind === 'sqlite') {
          await sql`create table reservations_v6 (id text primary key, instance text not null,
            time_ms bigint not null, day text not null, tool text not null, cost_e10 bigint,
            record text not null) without rowid`.execute(db);
          await sql`insert into reservations_v6 select id, instance, time_ms, day, tool, cost_e10, record
            from reservations`.execute(db);
          await sql`drop table reservations`.execute(db);
          await sql`alter table reservations_v6 rename to reservations`.execute(db);
          await sql`commit`.execute(db);
        }
      } catch (err) {
        if (kind === 'sqlite') await sql`rollback`.execute(db).catch(() => undefined);
        throw err;
      }
    },
  };
}

/**
 * Postgres: the log search's id and session prefixes (`LIKE 'x%'`, text-search.ts) use a btree only
 * under the C collation or with text_pattern_ops; under any other locale they read every row
 * (measured at 1M records: 720–740 ms for a text that names nothing). SQLite matches prefixes as
 * ranges on its binary-ordered indexes already.
 */
function v7(kind: EngineKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (kind !== 'postgres') return;
      await sql`create index if not exists requests_id_prefix on requests (id text_pattern_ops)`.execute(db);
      await sql`create index if not exists requests_session_prefix on requests (session text_pattern_ops)
        where session is not null`.execute(db);
    },
  };
}

/**
 * Postgres bytes per record (issue 15: 674 B at 1M records, target 400; measured per relation with
 * pg_relation_size on the bench's data, B/record): the tool, model and tool + model indexes
 * (70, 77, 96) become (64-bit hash of the name, time) — 8-byte keys whose leaves Postgres keeps 90%
 * full under per-name appends (postgres/hashed-keys.ts says why); the two id indexes (54 + 54, one
 * for `=`, one for `LIKE 'x%'`) become one unique text_pattern_ops index that serves both (its `=`
 * is text's equality, so ON CONFLICT (id) still finds it); and the primary key on seq (23) goes:
 * seq comes from its sequence, is unique by construction, and every read of it goes through the
 * time index, which keeps time_ms alone (32 → 22: seq added 8 bytes to every entry; equal times are
 * rare, and their order by seq is an incremental sort). Index builds only, no table rewrite:
 * seconds at 1M records on start.
 */
function v8(kind: EngineKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (kind !== 'postgres') return;
      for (const name of [
        'requests_tool_time',
        'requests_model_time',
        'requests_tool_model_time',
        'requests_id',
      ])
        await sql`drop index if exists ${sql.id(name)}`.execute(db);
      await sql`create index requests_tool_time on requests (hashtextextended(tool, 0), time_ms)`.execute(db);
      await sql`create index requests_model_time on requests (hashtextextended(model, 0), time_ms)`.execute(
        db,
      );
      await sql`create index requests_tool_model_time
        on requests (hashtextextended(model, hashtextextended(tool, 0)), time_ms)`.execute(db);
      // With status: the pair's hash, like the filter spells it (the status filter names no tool/model).
      await sql`drop index if exists requests_tool_model_error_time`.execute(db);
      await sql`create index requests_tool_model_error_time
        on requests (hashtextextended(model, hashtextextended(tool, 0)), status, time_ms) where status <> 200`.execute(
        db,
      );
      await sql`drop index if exists requests_id_prefix`.execute(db);
      await sql`create unique index requests_id_prefix on requests (id text_pattern_ops)`.execute(db);
      await sql`alter table requests drop constraint if exists requests_pkey`.execute(db);
      // Time order alone (no seq): the log's tie-break on seq is an incremental sort of equal times.
      await sql`drop index if exists requests_time`.execute(db);
      await sql`create index requests_time on requests (time_ms)`.execute(db);
    },
  };
}

/**
 * Postgres bytes per record, the heap (issue 15: 250 B of 452 at 1M records; measured with
 * pg_relation_size on the bench's data at 200k records: 250 → 195 B). The table is rewritten once:
 * the 8-byte columns first (Postgres aligns them to 8 bytes; after text they were padded), status
 * as smallint (an HTTP status, three digits by construction) and the three flags as boolean
 * instead of 4-byte integers, the day as a `date` (4 bytes instead of 11), and `family` / `path`
 * NULL where they repeat `provider` / the endpoint's canonical path (postgres/compact-row.ts).
 * Token counts and money stay bigint. Every index is rebuilt from its own definition as it was,
 * so whatever 0001–0008 built (and a later migration adds) is kept by name. One transaction (the
 * migrator's): a replica that starts meanwhile waits for it, and a kill leaves the old table.
 */
function v9(kind: EngineKind): Migration {
  // Spelled out, not compact-row.ts's CANONICAL_PATH: a shipped migration must never change.
  const canonical: [string, string][] = [
    ['chat', '/v1/chat/completions'],
    ['completions', '/v1/completions'],
    ['responses', '/v1/responses'],
    ['embeddings', '/v1/embeddings'],
    ['messages', '/v1/messages'],
    ['count_tokens', '/v1/messages/count_tokens'],
    ['audio_speech', '/v1/audio/speech'],
  ];
  return {
    async up(db: Kysely<unknown>) {
      if (kind !== 'postgres') return;
      await sql`lock table requests in access exclusive mode`.execute(db);
      const { rows: defs } = await sql<{ indexdef: string }>`select indexdef from pg_indexes
        where schemaname = current_schema() and tablename = 'requests'`.execute(db);
      const { rows: seqs } = await sql<{
        name: string;
      }>`select pg_get_serial_sequence('requests', 'seq') as name`.execute(db);
      const seqName = seqs[0]!.name;
      await sql`create table requests_v9 (
        seq bigint not null default nextval(${sql.lit(seqName)}::regclass),
        time_ms bigint not null,
        latency_ms double precision not null,
        input_tokens bigint not null,
        cached_input_tokens bigint not null,
        cache_write_tokens bigint not null,
        output_tokens bigint not null,
        reasoning_tokens bigint not null,
        ttfb_ms double precision,
        cost_e10 bigint,
        saved_e10 bigint,
        cache_write_1h_tokens bigint,
        web_search_requests bigint,
        day date not null,
        status smallint not null,
        streamed boolean not null,
        estimated boolean not null,
        cache_hit boolean not null,
        id text not null,
        tool text not null,
        model text not null,
        provider text not null,
        family text,
        endpoint text not null,
        path text,
        error_class text,
        "user" text,
        project text,
        key_label text,
        client text,
        session text,
        extra text
      )`.execute(db);
      const cases = canonical.map(([e, p]) => sql`when ${sql.lit(e)} then ${sql.lit(p)}`);
      await sql`insert into requests_v9 (seq, time_ms, latency_ms, input_tokens, cached_input_tokens,
          cache_write_tokens, output_tokens, reasoning_tokens, ttfb_ms, cost_e10, saved_e10,
          cache_write_1h_tokens, web_search_requests, day, status, streamed, estimated, cache_hit, id,
          tool, model, provider, family, endpoint, path, error_class, "user", project, key_label,
          client, session, extra)
        select seq, time_ms, latency_ms, input_tokens, cached_input_tokens, cache_write_tokens,
          output_tokens, reasoning_tokens, ttfb_ms, cost_e10, saved_e10, cache_write_1h_tokens,
          web_search_requests, day::date, status::smallint, streamed <> 0, estimated <> 0,
          cache_hit <> 0, id, tool, model, provider, nullif(family, provider), endpoint,
          case when path = (case endpoint ${sql.join(cases, sql` `)} end) then null else path end,
          error_class, "user", project, key_label, client, session, extra
        from requests order by seq`.execute(db);
      // The sequence goes with the new table (dropping the old one would drop it).
      await sql`alter sequence ${sql.raw(seqName)} owned by requests_v9.seq`.execute(db);
      await sql`drop table requests`.execute(db);
      await sql`alter table requests_v9 rename to requests`.execute(db);
      for (const { indexdef } of defs) await sql.raw(indexdef).execute(db);
      await sql`analyze requests`.execute(db);
    },
  };
}

function provider(kind: EngineKind): MigrationProvider {
  return {
    getMigrations: () =>
      Promise.resolve({
        '0001-ledger': v1(kind),
        '0002-client-session': v2(kind),
        '0003-log-search': v3(kind),
        '0004-config-document': v4(kind),
        '0005-rollup-wide': v5(kind),
        '0006-lighter-commit': v6(kind),
        '0007-postgres-prefix-search': v7(kind),
        '0008-postgres-compact-indexes': v8(kind),
        '0009-postgres-compact-rows': v9(kind),
      }),
  };
}

/**
 * Brings the schema to the newest version (or to `target`, for tests of an upgrade); throws with
 * the failing migration's error.
 */
export async function migrate(db: Kysely<unknown>, kind: EngineKind, target?: string): Promise<void> {
  if (!target && kind === 'sqlite' && (await isCurrent(db, kind))) return;
  const migrator = new Migrator({ db, provider: provider(kind) });
  const { error, results } = await (target ? migrator.migrateTo(target) : migrator.migrateToLatest());
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `ledger schema migration ${failed} failed: ${String((error as Error).message ?? error)}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Whether the schema already has exactly this version's migrations. A start against a current
 * SQLite ledger (nearly every start) then skips the Migrator: its lock table, checks and name
 * sorting (whose localeCompare loads ICU's collation data) were 15–17 ms of `serve`'s CPU before
 * its first answer, vs ~1.5 ms for this one query (issue 16; helper start8). SQLite only: one
 * process owns the data dir (its lock), while Postgres replicas need the Migrator's lock anyway.
 * Anything else — no table yet, fewer or other names — goes through the Migrator as before.
 */
async function isCurrent(db: Kysely<unknown>, kind: EngineKind): Promise<boolean> {
  const names = Object.keys(await provider(kind).getMigrations());
  const done = await sql<{ name: string }>`select name from kysely_migration order by name`
    .execute(db)
    .catch(() => undefined);
  return done !== undefined && done.rows.map((r) => r.name).join('\n') === names.join('\n');
}
