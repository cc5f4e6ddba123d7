// Wires the ledger on a storage engine: loads the roll-ups into memory (budgets read them on the
// hot path in O(1)), imports a previous version's JSONL ledger once, records the requests a dead
// process left in flight, then serves appends, reservations, queries, export and retention.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { localDay } from '../clock/calendar.js';
import type { LedgerRecord } from '../../../shared/ledger.js';
import type { Ledger, LedgerOptions, LogQuery } from './types.js';
import { Rollups } from './rollups.js';
import { csvHeader, writeChunks, writeRecords, writeText } from './export.js';
import { WriteQueue } from './write-queue.js';
import { KnownTerms } from './search-terms.js';
import { importJsonlLedger } from './jsonl/import-jsonl.js';
import { recoverReservations, startHeartbeat } from './reservations.js';
import { toE10, toRow } from '../store/record-row.js';
import { isoTimeMs } from '../store/iso-time.js';
import { SocketTarget } from '../store/export-socket.js';
import {
  exportCsvPages,
  exportPlan,
  exportRecords,
  getRecord,
  loadTerms,
  logPage,
  planTraffic,
  pruneChunk,
  rollupEntries,
  usageRows,
} from '../store/ledger-queries.js';

const DAY_MS = 86_400_000;
/** Rows per retention delete, a main-thread write: 1,000 (7 indexes each) stalled the loop ~200 ms at 1M records. */
const PRUNE_CHUNK = 100;

export async function openLedger(opts: LedgerOptions): Promise<Ledger> {
  const { engine } = opts;
  const now = opts.now ?? (() => new Date());
  const onError = opts.onError ?? ((err: Error) => process.emitWarning(err));
  const localDayOf = (time: string | number) => localDay(new Date(time), opts.timeZone());
  const instance = randomUUID();

  if (opts.importDir) await importJsonlLedger({ engine, dir: opts.importDir, localDayOf, onError });
  // Read through the writer (SQLite: this thread's connection, ~6 ms for a 1M-record ledger's
  // 12,400 roll-up rows), not the read worker: opening must not wait for a thread to boot (issue 16).
  const live = Rollups.fromEntries(await rollupEntries(engine.writer));
  const queue = new WriteQueue(engine, onError, new KnownTerms(await loadTerms(engine.writer)));
  const reserved = new Set<string>();
  let closed = false;

  function append(record: LedgerRecord): void {
    if (closed) throw new Error('ledger is closed');
    // One parse of the time for the check, the local day and the row (each was a parse of its own).
    const timeMs = isoTimeMs(record.time);
    if (Number.isNaN(timeMs))
      throw new TypeError(`ledger record has an invalid time: ${JSON.stringify(record.time)}`);
    // Read now and not kept (the row holds its values, the roll-ups their sums): no copy of the
    // record is needed for a caller's later change to leave what is counted alone.
    const day = localDayOf(timeMs);
    queue.addRecord(toRow(record, day, timeMs));
    live.add(day, record);
    if (reserved.delete(record.id)) queue.addSettle(record.id);
  }

  for (const r of await recoverReservations(engine, instance, now())) {
    append(r.record);
    queue.addSettle(r.id);
  }
  const heartbeat = engine.exclusive ? undefined : await startHeartbeat(engine, instance, now);
  // The read worker is not booted here: its boot (~85 ms of CPU on its own thread) took the second
  // core from `serve`'s first answer (issue 16). The caller warms it up at its first quiet moment
  // (start-core.ts), or the first query through it boots it.

  // Reads see every record appended before them: what is queued is committed first.
  const settled = () => queue.drain().catch(() => undefined);

  return {
    append,

    reserve(p) {
      if (closed) throw new Error('ledger is closed');
      reserved.add(p.id);
      queue.addReservation(p.id, () => {
        const timeMs = isoTimeMs(p.time);
        return {
          id: p.id,
          instance,
          time_ms: timeMs,
          day: localDayOf(timeMs),
          tool: p.tool,
          cost_e10: p.costUsd === null ? null : toE10(p.costUsd),
          record: JSON.stringify(p.record ?? {}),
        };
      });
    },

    release(id) {
      if (reserved.delete(id)) queue.addSettle(id);
    },

    health() {
      const err = queue.failed;
      return err
        ? { ok: false, message: `the request ledger cannot be written: ${err.message}` }
        : { ok: true };
    },

    totals: (q) => live.totals(q),
    daySpend: (day) => live.daySpend(day),

    async usage(q) {
      await settled();
      return usageRows(engine.reader, q, engine.kind);
    },

    async planTraffic(since) {
      await settled();
      return planTraffic(engine.reader, since.getTime(), engine.kind);
    },

    async query(q) {
      await settled();
      return logPage(engine.reader, q, engine.kind);
    },

    async get(id) {
      await settled();
      return getRecord(engine.reader, id);
    },

    async exportTo(format, q: LogQuery, out) {
      await settled();
      // Both formats paged, decoded and formatted on a worker (SQLite's read worker, Postgres's
      // export worker), which writes to a socket's descriptor itself (store/export-socket.ts);
      // to any other destination this thread writes its 64 kB chunks. Without one (SQLite on a
      // full disk): CSV pages built by the database, JSONL formatted here in 2 ms slices.
      if (engine.exportPages) {
        const plan = await exportPlan(engine.reader, q, engine.kind, format);
        const to = SocketTarget.of(out);
        await writeChunks(
          format === 'csv' ? csvHeader() : '',
          plan ? engine.exportPages(to ? { ...plan, to } : plan) : [],
          out,
        );
      } else if (format === 'csv')
        await writeText(csvHeader(), exportCsvPages(engine.reader, q, engine.kind), out);
      else await writeRecords(format, exportRecords(engine.reader, q, engine.kind), out);
    },

    async prune() {
      const days = opts.retentionDays();
      if (!Number.isFinite(days) || days <= 0) return;
      await settled();
      // Whole UTC days, as the day files did: no record younger than retentionDays goes.
      const cutoff = Math.floor((now().getTime() - days * DAY_MS) / DAY_MS) * DAY_MS;
      // Small chunks with a turn between them: each delete is a short write on the main thread.
      while ((await pruneChunk(engine.writer, cutoff, PRUNE_CHUNK, engine.kind)) === PRUNE_CHUNK)
        await nextTurn();
    },

    flush: () => queue.flush(),

    warmUp: () => engine.warmUp?.(),

    async close() {
      if (closed) return;
      closed = true;
      try {
        await queue.flush();
      } finally {
        queue.stop();
        await heartbeat?.stop();
        await engine.close();
      }
    },
  };
}
