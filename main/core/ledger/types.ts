// The ledger's public contract: what the proxy, limits, admin API and CLI program against.
import type { LedgerRecord, UsageGroup, UsageRow } from '../../../shared/ledger.js';

export interface LedgerOptions {
  /** Folder of day segments and the roll-up snapshot, e.g. `<dataDir>/ledger`. */
  dir: string;
  /** IANA zone that defines local days; '' = the system's. Read on every append. */
  timeZone: () => string;
  retentionDays: () => number;
  now?: () => Date;
  /** Background write failures (disk full, permissions); records stay queued and are retried. */
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

export interface LogQuery {
  tool?: string;
  model?: string;
  status?: number;
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

export interface Ledger {
  /** Synchronous for the caller: updates in-memory roll-ups at once (budgets read them on the very next
   *  request) and queues the line for a batched, non-blocking append. */
  append(record: LedgerRecord): void;
  /** Spend for one local day ('YYYY-MM-DD') and/or month ('YYYY-MM'), for one tool or all tools; neither = all time. */
  totals(q: { day?: string; month?: string; tool?: string }): Totals;
  /** Roll-up rows grouped by `by`, sorted by costUsd desc. Grouping by user/project reads detailed
   *  records, so it only covers the retention window. */
  usage(q: UsageQuery): UsageRow[];
  /** Newest first, paginated with `before`. */
  query(q: LogQuery): { records: LedgerRecord[]; nextBefore?: string };
  get(id: string): LedgerRecord | undefined;
  /** Writes every matching record (all of them unless `limit`), newest first; does not end `out`. */
  exportTo(format: 'csv' | 'jsonl', q: LogQuery, out: NodeJS.WritableStream): Promise<void>;
  /** Drop detailed records older than retentionDays (roll-ups are kept forever). */
  prune(): Promise<void>;
  /** Resolves when every appended record is on disk (fsync'd). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
