// An export's first page on the main thread, the rest on a worker (issue 15: the first record
// within 100 ms). The worker may be booting (Postgres's export worker: ~100 ms for an isolate and
// `pg`; SQLite's read worker after an idle stop: ~85 ms) and runs at nice 19: on a loaded machine a
// nice-19 thread waits behind every nice-0 one, and SQLite's JSONL first record took 96–160 ms at
// load 1.2–4.7 from a warm worker. Small on purpose — 100 CSV lines or 50 JSONL records, ~17–25 kB
// — so the page's text stays young garbage; and read and formatted in turns of their own (below).
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CompiledQuery, type Kysely } from 'kysely';
import type { ExportChunk, ExportPlan } from './export-plan.js';
import { csvLine, jsonlLine } from '../ledger/export.js';
import { fromRow } from './record-row.js';
import type { LedgerSchema, RequestsTable } from './schema.js';

export const FIRST_PAGE = { csv: 100, jsonl: 50 } as const;

export interface FirstPage {
  bytes: Uint8Array | undefined;
  /** Records in it; fewer than asked for means the export is complete. */
  got: number;
  /** The next page's cursor. */
  cursor: ExportPlan['cursor'];
}

/**
 * Whole rows, formatted here with csvLine / jsonlLine even for CSV: the CSV page query (~21 kB of
 * SQL) cost Postgres 2.5 ms to plan and 6–19 ms to run for 100 lines, far more on a pool connection
 * that had not run it before (its catalog lookups: a CSV first record at 58–100 ms at 1M records);
 * 100 csvLine calls are ~0.5 ms. The worker's CSV pages, built by the database, are the same bytes
 * (export-worker.test.ts).
 */
export async function firstPage(db: Kysely<LedgerSchema>, plan: ExportPlan, n: number): Promise<FirstPage> {
  const [AT_TIME, AT_SEQ, PAGE_SIZE] = plan.placeholders;
  const params = plan.recordParameters.map((p) =>
    p === AT_TIME ? plan.cursor.time_ms : p === AT_SEQ ? plan.cursor.seq : p === PAGE_SIZE ? n : p,
  );
  const { rows } = await db.executeQuery<RequestsTable>(CompiledQuery.raw(plan.recordSql, params));
  // SQLite reads the page synchronously (~1.5 ms of CPU for 100 rows): its formatting (~0.7 ms)
  // waits for a turn of its own, so the proxy's I/O runs between them.
  await nextTurn();
  const line = plan.format === 'csv' ? csvLine : jsonlLine;
  const last = rows[rows.length - 1];
  return {
    bytes: Buffer.from(rows.map((r) => line(fromRow(r))).join('')),
    got: rows.length,
    cursor: last ? { time_ms: Number(last.time_ms), seq: Number(last.seq) } : plan.cursor,
  };
}

/**
 * An export's chunks: its first page from `first` (this thread), then the rest from `rest` (a
 * worker), starting after the first page's last record and counting it against plan.limit.
 */
export async function* firstPageThen(
  plan: ExportPlan,
  first: (plan: ExportPlan, n: number) => Promise<FirstPage>,
  rest: (plan: ExportPlan) => AsyncIterable<ExportChunk>,
): AsyncGenerator<ExportChunk> {
  const n = Math.min(FIRST_PAGE[plan.format], plan.limit ?? Infinity);
  // The plan was compiled in this turn (~1 ms, 3 cold): the page's query in the next.
  await nextTurn();
  const page = await first(plan, n);
  if (page.bytes?.length) yield { bytes: page.bytes, release: () => undefined };
  if (page.got < n) return;
  const limit = plan.limit === undefined ? undefined : plan.limit - page.got;
  if (limit === 0) return;
  yield* rest({ ...plan, cursor: page.cursor, ...(limit === undefined ? {} : { limit }) });
}
