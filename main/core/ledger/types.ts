// The ledger's public contract: what the proxy, limits, admin API and CLI program against.
import type { LedgerRecord, UsageGroup, UsageRow } from '../../../shared/ledger.js';
import type { LedgerEngine } from '../store/ledger-engine.js';
import type { PlanTrafficRow } from '../store/ledger-queries.js';

export interface LedgerOptions {
  /** SQLite or Postgres (main/core/store); the ledger closes it on close(). */
  engine: LedgerEngine;
  /** The JSONL ledger folder of a previous version (`<dataDir>/ledger`), imported on first start. */
  importDir?: string;
  /** IANA zone that defines local days; '' = the system's. Read on every append. */
  timeZone: () => string;
  retentionDays: () => number;
  now?: () => Date;
  /** Background write failures (disk full, permissions); records stay queued and are retried.
   *  Also damaged lines met while importing a JSONL ledger. */
  onError?: (err: Error) => void;
}

export interface Totals {
  requests: number;
  costUsd: number;
  /** Requests whose cost is unknown: not in costUsd. */
  unpriced: number;
  inputTokens: number;
  outputTokens: number;
  savedUsd: number;
}

export type StatusClass = 'ok' | 'error';

export interface LogQuery {
  tool?: string;
  model?: string;
  /** An exact HTTP status, or `ok` (< 400) / `error` (>= 400): the admin API's status filters. */
  status?: number | StatusClass;
  /** Inclusive. */
  since?: Date;
  /** Exclusive. */
  until?: Date;
  /** Case-insensitive substring of id, tool, provider, model, path, user, project, keyLabel or errorClass. */
  text?: string;
  /** Page size for query() (default 100, at most 1000); for exportTo, unset means every match. */
  limit?: number;
  /** Cursor: the id of the last record of the previous page. */
  before?: string;
}

export interface UsageQuery {
  /** Local day 'YYYY-MM-DD', inclusive. */
  since?: string;
  /** Local day 'YYYY-MM-DD', inclusive. */
  until?: string;
  by: UsageGroup[];
  tool?: string;
}

/** What is known of a request at admission, journaled so a crash cannot make its spend vanish. */
export interface PendingRequest {
  id: string;
  time: string;
  tool: string;
  /** Worst-case cost reserved at admission; null when the model is unpriced. */
  costUsd: number | null;
  /** Whatever else of the record is known (provider, model, path, user, project…). */
  record?: Partial<LedgerRecord>;
}

/** Whether records can be written right now; a refusal names the cause (disk full, database gone). */
export type LedgerHealth = { ok: true } | { ok: false; message: string };

export interface Ledger {
  /** Synchronous for the caller: updates in-memory roll-ups at once (budgets read them on the very next
   *  request) and queues the record for a batched, non-blocking write (committed within ~1 ms).
   *  Settles the reservation journaled under the same id, in the same transaction. */
  append(record: LedgerRecord): void;
  /** Journals an admitted request with its worst-case cost (same batching as append). If the process
   *  dies before append(), the next start records it as an `estimated` request at that cost. */
  reserve(pending: PendingRequest): void;
  /** The request never went out: drop its journal entry without a record. */
  release(id: string): void;
  /** Ok unless the last write failed (disk full…): new requests should then be refused. */
  health(): LedgerHealth;
  /** Spend for one local day ('YYYY-MM-DD') and/or month ('YYYY-MM'), for one tool or all tools; neither = all time. */
  totals(q: { day?: string; month?: string; tool?: string }): Totals;
  /** One local day's priced spend per tool and per model, from the in-memory roll-ups. */
  daySpend(day: string): { byTool: Record<string, number>; byModel: Record<string, number> };
  /** Rows grouped by `by`, sorted by costUsd desc. Any mix of tool, model, day, user, project and
   *  client comes from the roll-up kept forever; by session reads detail (the retention window). */
  usage(q: UsageQuery): Promise<UsageRow[]>;
  /** Plan traffic (records with `plan`) since a time, per provider: requests and API-equivalent USD. */
  planTraffic(since: Date): Promise<PlanTrafficRow[]>;
  /** Newest first, paginated with `before`. */
  query(q: LogQuery): Promise<{ records: LedgerRecord[]; nextBefore?: string }>;
  get(id: string): Promise<LedgerRecord | undefined>;
  /** Writes every matching record (all of them unless `limit`), newest first; does not end `out`. */
  exportTo(format: 'csv' | 'jsonl', q: LogQuery, out: NodeJS.WritableStream): Promise<void>;
  /** Drop detailed records older than retentionDays (roll-ups are kept forever). */
  prune(): Promise<void>;
  /** Starts, without waiting for it, what the first dashboard query needs (SQLite: the read worker).
   *  Open calls it a turn after it resolves; again is a no-op. */
  warmUp?(): void;
  /** Resolves when every appended record is committed and (SQLite) fdatasync'd. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
