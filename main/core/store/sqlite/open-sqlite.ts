// The embedded engine: one SQLite file (better-sqlite3, WAL). Batches are committed on a write
// worker (sqlite/write-worker.ts) into the page cache — a `kill -9` keeps every committed batch —
// with automatic checkpoints off: checkpoints (which fsync) and every query run on the read worker
// instead (a checkpoint took 4 ms median, 68 ms worst at load 8: on the write worker every record
// would wait that long to reach the file). Checkpoints run only while the WAL has new frames. fdatasync of the WAL runs on the thread pool (sync()). The main thread's connection
// runs migrations and maintenance writes, and commits batches itself only when the workers cannot
// share the file (a full disk at start-up) or the write worker has exited.
import { chmod, open, type FileHandle } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import type { LedgerEngine, WriteBatch } from '../ledger-engine.js';
import { migrate } from '../migrations.js';
import type { LedgerSchema, ReservationsTable } from '../schema.js';
import { rowValues, toRow, type RequestRow } from '../record-row.js';
import {
  deleteReservations,
  insertRequests,
  insertReservations,
  insertTerms,
  upsertWide,
  wideValues,
} from '../statements.js';
import { WorkerSqliteDialect } from './worker-dialect.js';
import type { ExportPlan } from '../export-plan.js';
import { firstPage, firstPageThen } from '../export-first-page.js';
import { startWriteWorker, type BatchRows } from './write-worker.js';
import { sampleRecord, sampleReservation, sampleWide } from '../samples.js';

const CHECKPOINT_EVERY_MS = 1000;
/** Longest waitForWrites() blocks: the worker's busy timeout, after which the batch fails anyway. */
const WAIT_FOR_WRITES_MS = 5000;

/** A journal row's values in sampleReservation's column order (read by name: see rowValues). */
const reservationValues = (r: ReservationsTable): unknown[] => [
  r.id,
  r.instance,
  r.time_ms,
  r.day,
  r.tool,
  r.cost_e10,
  r.record,
];

/** Throws unless `values` lists a row's fields in the statement's column order. */
function inColumnOrder<R>(columns: readonly string[], values: (row: R) => unknown[]): void {
  const probe = values(Object.fromEntries(columns.map((c, i) => [c, i])) as R);
  if (probe.length !== columns.length || probe.some((v, i) => v !== i))
    throw new Error(`statement columns and their values differ: ${columns.join(', ')}`);
}

export interface SqliteOptions {
  /** The read worker stops after this long without a query (worker-dialect.ts's default: 60 s). */
  readIdleStopMs?: number;
}

export async function openSqlite(
  file: string,
  { readIdleStopMs }: SqliteOptions = {},
): Promise<LedgerEngine> {
  const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  let raw = new Database(file);
  await chmod(file, 0o600).catch(() => undefined);
  // Sharing the file with the read worker needs the WAL's shared-memory file, which a full disk
  // cannot create. Then one exclusive connection (heap wal-index) still opens, answers queries
  // on the main thread, and refuses writes until there is room: start-up works on a full disk.
  let shared = true;
  try {
    // Already WAL after the first start: this writes nothing.
    if (raw.pragma('journal_mode', { simple: true }) !== 'wal') raw.pragma('journal_mode = WAL');
  } catch (err) {
    if (!/^SQLITE_(IOERR|FULL)/.test(String((err as { code?: string }).code))) throw err;
    raw.close();
    raw = new Database(file);
    raw.pragma('locking_mode = EXCLUSIVE');
    shared = false;
    if (raw.pragma('journal_mode', { simple: true }) !== 'wal') raw.pragma('journal_mode = WAL');
  }
  raw.pragma('synchronous = NORMAL');
  if (shared) raw.pragma('wal_autocheckpoint = 0');
  raw.pragma('busy_timeout = 5000');
  const writer = new Kysely<LedgerSchema>({ dialect: new SqliteDialect({ database: raw }) });
  // The read worker boots (~85 ms) at the first query through it — a dashboard query, the first
  // checkpoint 1 s after a write, or warmUp() — never during open: what open reads (roll-ups,
  // terms, reservations) goes through this thread's connection, and budgets read memory. It stops
  // after readIdleStopMs with no query (no dashboard, and the WAL checkpointed) and starts again
  // with the next.
  const readDialect = shared ? new WorkerSqliteDialect(file, readIdleStopMs) : undefined;
  const reader = readDialect ? new Kysely<LedgerSchema>({ dialect: readDialect }) : writer;
  try {
    await migrate(writer as Kysely<unknown>, 'sqlite');
  } catch (err) {
    if (shared) await reader.destroy();
    await writer.destroy();
    throw err;
  }

  // Kysely builds each statement once; better-sqlite3 keeps it prepared for every batch.
  const compiled = <T>(q: { compile(): { sql: string; parameters: readonly unknown[] } }, sample: T[]) => {
    const c = q.compile();
    if (c.parameters.length !== sample.length) throw new Error(`statement shape changed: ${c.sql}`);
    return c.sql;
  };
  const requestColumns = Object.keys(toRow(sampleRecord, '2024-01-01')) as (keyof RequestRow)[];
  const reservationColumns = Object.keys(sampleReservation) as (keyof typeof sampleReservation)[];
  const statements = {
    record: compiled(insertRequests(writer, [toRow(sampleRecord, '2024-01-01')]), requestColumns),
    rollup: compiled(upsertWide(writer, [sampleWide]), Object.values(wideValues(sampleWide))),
    reserve: compiled(insertReservations(writer, [sampleReservation]), reservationColumns),
    settle: compiled(deleteReservations(writer, ['x']), ['x']),
    term: compiled(insertTerms(writer, [{ col: 'tool', value: 'x' }]), ['tool', 'x']),
  };
  inColumnOrder(requestColumns, rowValues);
  inColumnOrder(reservationColumns, reservationValues);
  // A batch as each statement's parameter rows, in its column order: what the worker is handed.
  const rowsOf = (b: WriteBatch): BatchRows => ({
    record: b.records.map(rowValues),
    rollup: b.rollups.map((d) => Object.values(wideValues(d))),
    reserve: b.reserve.map(reservationValues),
    settle: b.settle.map((id) => [id]),
    term: (b.terms ?? []).map((t) => [t.col, t.value]),
  });
  const here = Object.entries(statements).map(
    ([name, text]) => [name as keyof BatchRows, raw.prepare(text)] as const,
  );
  const commitHere = raw.transaction((rows: BatchRows) => {
    for (const [name, st] of here) for (const r of rows[name]) st.run(r);
  });
  const worker = shared ? startWriteWorker(file, statements) : undefined;

  let warmed = false;
  let wal: FileHandle | undefined;
  // Batches written (none yet: sync() has nothing to flush), and how many of them the last complete
  // checkpoint covered: only a WAL with frames not yet copied is checkpointed, so an idle ledger's
  // read worker is left to stop (worker-dialect.ts) instead of being woken every second for ever.
  let written = 0;
  let checkedUpTo = 0;
  let checkpointing = false;
  const checkpoints = setInterval(() => {
    if (!shared || written === checkedUpTo || checkpointing) return;
    const upTo = written;
    checkpointing = true;
    void sql<{ busy: number; log: number; checkpointed: number }>`pragma wal_checkpoint(PASSIVE)`
      .execute(reader)
      .then(({ rows: [r] }) => {
        if (r && r.busy === 0 && r.checkpointed === r.log) checkedUpTo = upTo;
      })
      .catch(() => undefined)
      .finally(() => (checkpointing = false));
  }, CHECKPOINT_EVERY_MS);
  checkpoints.unref();

  return {
    kind: 'sqlite',
    reader,
    writer,
    exclusive: true,
    async write(batch) {
      const rows = rowsOf(batch);
      if (worker?.running) await worker.write(rows);
      else commitHere(rows);
      written++;
    },
    waitForWrites() {
      worker?.waitIdle(WAIT_FOR_WRITES_MS);
    },
    idle: () => worker?.idle() ?? true,
    // The first page on this thread's connection (~1 ms: 50–100 rows by the time index), the rest
    // on the read worker (export-first-page.ts).
    ...(readDialect
      ? {
          exportPages: (plan: ExportPlan) =>
            firstPageThen(
              plan,
              (p, n) => firstPage(writer, p, n),
              (rest) => readDialect.exportPages(rest),
            ),
        }
      : {}),
    warmUp() {
      if (!shared || warmed) return;
      warmed = true;
      void sql`select 1`.execute(reader).catch(() => undefined);
    },
    async sync() {
      if (written === 0) return;
      // fsync is per file, not per descriptor: syncing our own read-only handle flushes the WAL.
      wal ??= await open(`${file}-wal`, 'r').catch(() => undefined);
      await wal?.datasync();
    },
    async close() {
      clearInterval(checkpoints);
      await wal?.close();
      await worker?.close();
      if (shared) await reader.destroy();
      await writer.destroy(); // closes the writer; the last connection checkpoints and removes the WAL
    },
  };
}
