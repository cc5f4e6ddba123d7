// What a storage engine gives the ledger: a typed query layer for reads, one atomic write per
// batch, and durability controls. SQLite and Postgres implement it (store/sqlite, store/postgres);
// the ledger (main/core/ledger) and the conformance tests program against this only.
import type { Kysely } from 'kysely';
import type { EngineKind } from './migrations.js';
import type { ExportChunk, ExportPlan } from './export-plan.js';
import type { RequestRow } from './record-row.js';
import type {
  LedgerSchema,
  ReservationsTable,
  RollupTable,
  SumColumns,
  TermsTable,
  WideKey,
} from './schema.js';

/** One wide roll-up row's increments: its key ('' = none for user, project, client) plus sums. */
export type WideDelta = Record<WideKey, string> & { sums: SumColumns };

/** One narrow roll-up row's increments (only the JSONL import writes those now). */
export interface RollupDelta {
  table: RollupTable;
  day: string;
  tool: string;
  /** model, user or project, by table ('' = none). */
  key: string;
  sums: SumColumns;
}

/** Everything one write turn commits together, in one transaction. */
export interface WriteBatch {
  records: readonly RequestRow[];
  /** Increments of the wide roll-up, one per key. */
  rollups: readonly WideDelta[];
  reserve: readonly ReservationsTable[];
  /** Reservation ids whose request is now recorded (or never went out). */
  settle: readonly string[];
  /** Search-dictionary values first seen in this batch (inserted if absent). */
  terms?: readonly TermsTable[];
}

export interface LedgerEngine {
  readonly kind: EngineKind;
  /** Queries that may be heavy. SQLite: a worker thread, so they never block the proxy. */
  readonly reader: Kysely<LedgerSchema>;
  /** Maintenance writes outside the batch (retention, import, recovery, heartbeat). */
  readonly writer: Kysely<LedgerSchema>;
  /** Commits one batch atomically; resolves once it is in the database. */
  write(batch: WriteBatch): Promise<void>;
  /**
   * Blocks until the batches handed to write() are committed. Only an engine that commits off the
   * calling thread has it (SQLite's write worker); the write queue calls it when records pile up
   * faster than they are committed, so what a `kill -9` can lose stays bounded.
   */
  waitForWrites?(): void;
  /**
   * True when every batch handed to write() is committed; settles their promises. An engine whose
   * write() promises settle only when something looks (SQLite's write worker) has it: the write
   * queue looks before each hand-over.
   */
  idle?(): boolean;
  /**
   * An export's bytes, its pages queried and formatted off the proxy's thread (SQLite: the read
   * worker; Postgres: an export worker with its own connection). Absent: the ledger pages through
   * `reader` on this thread (SQLite without a read worker, on a full disk).
   */
  exportPages?(plan: ExportPlan): AsyncIterable<ExportChunk>;
  /** Starts the reader's thread (SQLite) without waiting for it; queries start it anyway. */
  warmUp?(): void;
  /** Makes committed batches survive power loss (SQLite: fdatasync the WAL; Postgres: a no-op). */
  sync(): Promise<void>;
  /** SQLite: one process owns the file (the data-dir lock), so every other instance is dead. */
  readonly exclusive: boolean;
  close(): Promise<void>;
}
