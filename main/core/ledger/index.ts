// The request ledger: append-only JSONL day segments for detail, per tool × model × local-day
// roll-ups for instant spend totals, both crash-safe.
export type { Ledger, LedgerOptions, LogQuery, Totals, UsageQuery } from './types.js';
export { openLedger } from './open-ledger.js';
export { CSV_COLUMNS } from './export.js';
