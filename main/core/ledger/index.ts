// The request ledger: every request's record in SQLite or Postgres (main/core/store), with
// tool × model × local-day roll-ups in memory for instant spend totals.
export type {
  Ledger,
  LedgerHealth,
  LedgerOptions,
  LogQuery,
  StatusClass,
  PendingRequest,
  Totals,
  UsageQuery,
} from './types.js';
export { openLedger } from './open-ledger.js';
export { CSV_COLUMNS } from './export.js';
