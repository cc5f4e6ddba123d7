// Requests a dead process left in flight: their journaled reservations become `estimated` records
// at the worst-case cost reserved at admission (never $0: the provider may well have billed them).
// With SQLite one process owns the file, so every other instance's entry is dead; on a shared
// Postgres an instance is dead once its heartbeat is older than DEAD_AFTER_MS.
import type { LedgerRecord } from '../../../shared/ledger.js';
import { ZERO_USAGE } from '../../../shared/usage.js';
import type { LedgerEngine } from '../store/ledger-engine.js';
import { fromE10 } from '../store/record-row.js';
import type { ReservationsTable } from '../store/schema.js';

const HEARTBEAT_MS = 10_000;
export const DEAD_AFTER_MS = 60_000;

export function interruptedRecord(row: ReservationsTable): LedgerRecord {
  let known: Partial<LedgerRecord> = {};
  try {
    known = JSON.parse(row.record) as Partial<LedgerRecord>;
  } catch {
    // A damaged journal entry still counts its reserved cost.
  }
  return {
    provider: '',
    model: '',
    family: 'openai',
    endpoint: 'other',
    path: '',
    ...known,
    id: row.id,
    time: known.time ?? new Date(Number(row.time_ms)).toISOString(),
    tool: row.tool,
    status: 0,
    latencyMs: 0,
    ttfbMs: null,
    streamed: known.streamed ?? false,
    usage: { ...ZERO_USAGE },
    costUsd: row.cost_e10 === null ? null : fromE10(Number(row.cost_e10)),
    estimated: true,
    cacheHit: false,
    errorClass: 'interrupted',
  };
}

/** Dead instances' reservations, as records to append (their journal ids settle with them). */
export async function recoverReservations(
  engine: LedgerEngine,
  self: string,
  now: Date,
): Promise<{ id: string; record: LedgerRecord }[]> {
  let rows: ReservationsTable[];
  if (engine.exclusive) {
    // Read now, settled in the same transaction as the records: a crash in between loses nothing.
    // Through the writer, like every read at open: opening never waits for the read worker.
    rows = await engine.writer.selectFrom('reservations').selectAll().where('instance', '!=', self).execute();
  } else {
    const alive = await engine.writer
      .selectFrom('instances')
      .select('instance')
      .where('heartbeat_ms', '>=', now.getTime() - DEAD_AFTER_MS)
      .execute();
    const live = [self, ...alive.map((a) => a.instance)];
    // Claimed by deleting: two replicas starting together cannot both record the same request.
    rows = await engine.writer
      .deleteFrom('reservations')
      .where('instance', 'not in', live)
      .returningAll()
      .execute();
  }
  return rows.map((row) => ({ id: row.id, record: interruptedRecord(row) }));
}

/** Keeps this instance's heartbeat fresh on a shared database so others know it is alive. */
export async function startHeartbeat(engine: LedgerEngine, instance: string, now: () => Date) {
  const beat = () =>
    engine.writer
      .insertInto('instances')
      .values({ instance, heartbeat_ms: now().getTime() })
      .onConflict((oc) => oc.column('instance').doUpdateSet({ heartbeat_ms: now().getTime() }))
      .execute();
  await beat();
  const timer = setInterval(() => void beat().catch(() => undefined), HEARTBEAT_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await engine.writer.deleteFrom('instances').where('instance', '=', instance).execute();
    },
  };
}
