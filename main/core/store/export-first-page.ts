// An export's first page on the main thread, while the worker that runs the rest boots (Postgres's
// export worker: ~100 ms for an isolate and `pg`, which the first record would otherwise wait for;
// issue 15 wants it within 100 ms). Small on purpose — 100 CSV lines or 50 JSONL records, ~17–25 kB —
// so the formatting and the page's text stay a short turn and young garbage.
import { CompiledQuery, type Kysely } from 'kysely';
import type { ExportPlan } from './export-plan.js';
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

export async function firstPage(db: Kysely<LedgerSchema>, plan: ExportPlan, n: number): Promise<FirstPage> {
  const [AT_TIME, AT_SEQ, PAGE_SIZE] = plan.placeholders;
  const params = plan.parameters.map((p) =>
    p === AT_TIME ? plan.cursor.time_ms : p === AT_SEQ ? plan.cursor.seq : p === PAGE_SIZE ? n : p,
  );
  const { rows } = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(plan.sql, params));
  if (plan.format === 'csv') {
    const out = rows[0];
    if (!out) return { bytes: undefined, got: 0, cursor: plan.cursor };
    const text = out.text as string | Uint8Array | null;
    return {
      bytes: typeof text === 'string' ? Buffer.from(text) : (text ?? undefined),
      got: Number(out.n),
      cursor: { time_ms: Number(out.last_time), seq: Number(out.last_seq) },
    };
  }
  const records = rows as unknown as RequestsTable[];
  const last = records[records.length - 1];
  return {
    bytes: Buffer.from(records.map((r) => `${JSON.stringify(fromRow(r))}\n`).join('')),
    got: records.length,
    cursor: last ? { time_ms: Number(last.time_ms), seq: Number(last.seq) } : plan.cursor,
  };
}
