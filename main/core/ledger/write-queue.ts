// The batched writer: append/reserve only queue; one transaction commits everything queued since
// the last (records, their roll-up increments, reservation journal entries and settlements), so
// the request path never waits on the database and a record is committed within about a
// millisecond of its answer. A record that comes alone (none in the last SPARSE_MS) is handed over
// at the end of the event-loop turn that queued it when the engine has nothing in flight: at c=1
// the loop is awake then, and a timer would wake it once more per request (~60 µs of CPU on this
// VM). Otherwise, and for journal entries alone, WRITE_DELAY_MS after the first queued item: under
// traffic the loop is busy anyway, and batches grow with the load. A failed write (disk full) keeps
// everything queued, marks the ledger unhealthy, and is retried every RETRY_MS.
import { performance } from 'node:perf_hooks';
import type { LedgerEngine, RollupDelta, WideDelta, WriteBatch } from '../store/ledger-engine.js';
import type { RequestRow } from '../store/record-row.js';
import { emptySums, type ReservationsTable, type RollupTable, type SumColumns } from '../store/schema.js';
import { KnownTerms } from './search-terms.js';

/** Longest a queued record waits for its commit (the window a killed process can lose). */
export const WRITE_DELAY_MS = 1;
/** A record this long after the previous one is not part of a burst: it goes at once (see above). */
const SPARSE_MS = WRITE_DELAY_MS / 2;
const RETRY_MS = 1000;
/**
 * Records queued behind a batch still being committed before the next append waits for it. The
 * proxy spends far more per request than a commit costs per record, so it never gets here; a
 * writer that outpaces the database (an import, a flood of appends) then waits as it did when
 * commits ran on its own thread, and a `kill -9` loses at most about this many records.
 */
export const MAX_BACKLOG = 256;
/** Longest a committed batch waits for fdatasync (the power-loss window). */
const SYNC_INTERVAL_MS = 200;

function addRow(s: SumColumns, r: RequestRow): void {
  s.requests += 1;
  s.input_tokens += r.input_tokens;
  s.cached_input_tokens += r.cached_input_tokens;
  s.cache_write_tokens += r.cache_write_tokens;
  s.output_tokens += r.output_tokens;
  s.reasoning_tokens += r.reasoning_tokens;
  if (r.cost_e10 === null) s.unpriced += 1;
  else s.cost_e10 += r.cost_e10;
  s.saved_e10 += r.saved_e10 ?? 0;
  s.cache_write_1h_tokens += r.cache_write_1h_tokens ?? 0;
  s.web_search_requests += r.web_search_requests ?? 0;
}

/** Per-batch increments of the wide roll-up: one upsert per (day, tool, model, user, project, client). */
export function wideDeltas(rows: readonly RequestRow[]): WideDelta[] {
  // One record (c=1's every batch) needs no map.
  const map = new Map<string, WideDelta>();
  let prev: RequestRow | undefined;
  let last: WideDelta | undefined;
  for (const r of rows) {
    // A row with the previous one's key (a busy tool's batch: nearly every row) adds to its delta
    // without building the key string (~0.5 µs per record). Same values only: a null user and an
    // '' one share a key, and go through the map below.
    if (
      last &&
      prev &&
      r.day === prev.day &&
      r.tool === prev.tool &&
      r.model === prev.model &&
      r.user === prev.user &&
      r.project === prev.project &&
      r.client === prev.client
    ) {
      addRow(last.sums, r);
      continue;
    }
    prev = r;
    const user = r.user ?? '';
    const project = r.project ?? '';
    const client = r.client ?? '';
    // Length-prefixed, so no name (a model or user a client sent may hold any character) can forge
    // another key; cheaper than JSON.stringify of an array per record.
    const id =
      rows.length === 1
        ? ''
        : `${r.day}${r.tool.length}:${r.tool}${r.model.length}:${r.model}${user.length}:${user}${project.length}:${project}${client.length}:${client}`;
    let d = map.get(id);
    if (!d)
      map.set(
        id,
        (d = { day: r.day, tool: r.tool, model: r.model, user, project, client, sums: emptySums() }),
      );
    addRow(d.sums, r);
    last = d;
  }
  return [...map.values()];
}

/** Increments of the narrow roll-ups (per model, user, project): only the JSONL import writes them now. */
export function narrowDeltas(rows: readonly RequestRow[]): RollupDelta[] {
  const map = new Map<string, RollupDelta>();
  for (const r of rows) {
    const keys: [RollupTable, string][] = [
      ['rollup_model', r.model],
      ['rollup_user', r.user ?? ''],
      ['rollup_project', r.project ?? ''],
    ];
    for (const [table, key] of keys) {
      const id = JSON.stringify([table, r.day, r.tool, key]);
      let d = map.get(id);
      if (!d) map.set(id, (d = { table, day: r.day, tool: r.tool, key, sums: emptySums() }));
      addRow(d.sums, r);
    }
  }
  return [...map.values()];
}

/**
 * The reservation journal entries a batch must write. A reservation settled before its batch
 * commits (most requests at low concurrency answer within the write delay) would be inserted and
 * deleted in one transaction: neither is written, and its record carries the spend.
 */
export function journalOf<R extends { id: string }>(
  reserve: R[],
  settle: string[],
): { reserve: R[]; settle: string[] } {
  if (reserve.length === 0 || settle.length === 0) return { reserve, settle };
  const settled = new Set(settle);
  const both = new Set<string>();
  for (const r of reserve) if (settled.has(r.id)) both.add(r.id);
  if (both.size === 0) return { reserve, settle };
  return {
    reserve: reserve.filter((r) => !both.has(r.id)),
    settle: settle.filter((id) => !both.has(id)),
  };
}

interface PendingReservation {
  id: string;
  row: () => ReservationsTable;
}

export class WriteQueue {
  private records: RequestRow[] = [];
  // Built only if still unsettled when its batch commits (rarely, at low concurrency): most
  // requests answer within the write delay, and their journal row is never written.
  private reserve: PendingReservation[] = [];
  private settle: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerMs = 0;
  private immediate: NodeJS.Immediate | undefined;
  private lastRecordAt = -Infinity;
  private armed = false;
  private syncTimer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  /** The drain waiting for the batch in flight, not yet holding a batch of its own. */
  private next: Promise<void> | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly engine: LedgerEngine,
    private readonly onError: (err: Error) => void,
    private readonly terms: KnownTerms = new KnownTerms(),
  ) {}

  get pending(): number {
    return this.records.length + this.reserve.length + this.settle.length;
  }

  /** The last write's error while it has not succeeded since. */
  get failed(): Error | undefined {
    return this.failure;
  }

  addRecord(row: RequestRow): void {
    this.records.push(row);
    if (this.inFlight && this.records.length >= MAX_BACKLOG && !this.failure) this.engine.waitForWrites?.();
    const at = performance.now();
    const alone = at - this.lastRecordAt >= SPARSE_MS;
    this.lastRecordAt = at;
    this.schedule(WRITE_DELAY_MS, alone);
  }
  /** `row` runs only if the reservation is still unsettled when its batch commits. */
  addReservation(id: string, row: () => ReservationsTable): void {
    this.reserve.push({ id, row });
    this.schedule(WRITE_DELAY_MS);
  }
  addSettle(id: string): void {
    this.settle.push(id);
    this.schedule(WRITE_DELAY_MS);
  }

  private readonly fire = (): void => {
    this.immediate = undefined;
    this.armed = false;
    void this.drain().catch(() => undefined); // reported through onError and health
  };

  private schedule(ms: number, soon = false): void {
    if (this.immediate) return; // going at the end of this turn already
    if (soon && !this.failure && this.engine.idle?.()) {
      // A timer armed for this request's journal entry would only wake the loop for nothing now.
      if (this.armed) this.disarm();
      this.armed = true;
      this.immediate = setImmediate(this.fire);
      return;
    }
    if (this.armed) return;
    this.armed = true;
    // One Timeout object re-armed per batch while the delay stays the same.
    if (this.timer && this.timerMs === ms) {
      this.timer.refresh();
      return;
    }
    clearTimeout(this.timer);
    this.timerMs = ms;
    this.timer = setTimeout(this.fire, ms);
  }

  private disarm(): void {
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.armed = false;
  }

  /** Commits everything queued now; rejects with the write's error (it stays queued and is retried). */
  drain(): Promise<void> {
    // At most one drain waits for the batch in flight; callers meanwhile share it, since it takes
    // everything queued when its turn comes. Each timer or end-of-turn firing used to start a
    // drain of its own: at c=1 ~40 of them waited at once and every commit woke them all (285,589
    // wake-ups for 7,382 drains; ~10 kB of promises per request, 12% of all the proxy allocated).
    if (this.next) return this.next;
    const turn = { taken: false };
    const run = this.drainNext(turn);
    // With nothing in flight it took its batch before returning: later callers need their own.
    if (!turn.taken) this.next = run;
    return run;
  }

  private async drainNext(turn: { taken: boolean }): Promise<void> {
    // An engine whose commits settle when looked at (SQLite's worker): look, then wait.
    if (this.inFlight) this.engine.idle?.();
    while (this.inFlight) await this.inFlight.catch(() => undefined);
    // From here on what is queued goes in this batch; anything queued later needs a drain of its own.
    turn.taken = true;
    this.next = undefined;
    if (this.pending === 0) return;
    const journal = journalOf(this.reserve, this.settle);
    const reserve = journal.reserve.map((r) => r.row());
    const settle = journal.settle;
    const batch: WriteBatch = {
      records: this.records,
      rollups: wideDeltas(this.records),
      reserve,
      settle,
      terms: this.terms.fresh(this.records),
    };
    this.records = [];
    this.reserve = [];
    this.settle = [];
    const done = this.commit(batch);
    this.inFlight = done;
    try {
      await done;
    } finally {
      this.inFlight = undefined;
    }
  }

  private async commit(batch: WriteBatch): Promise<void> {
    try {
      await this.engine.write(batch);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      // Back at the front, in order: nothing is lost, and the retry commits it all at once.
      this.records = [...batch.records, ...this.records];
      this.reserve = [...batch.reserve.map((r) => ({ id: r.id, row: () => r })), ...this.reserve];
      this.settle = [...batch.settle, ...this.settle];
      if (!this.failure)
        this.onError(new Error(`ledger write failed, will retry: ${error.message}`, { cause: error }));
      this.failure = error;
      this.disarm();
      this.schedule(RETRY_MS);
      throw error;
    }
    this.failure = undefined;
    this.terms.remember(batch.terms ?? []);
    this.scheduleSync();
  }

  private scheduleSync(): void {
    if (this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      this.engine.sync().catch((err: unknown) => this.onError(err as Error));
    }, SYNC_INTERVAL_MS);
    this.syncTimer.unref();
  }

  /** Commits everything and fdatasyncs it. */
  async flush(): Promise<void> {
    await this.drain();
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    await this.engine.sync();
  }

  stop(): void {
    this.disarm();
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
  }
}
