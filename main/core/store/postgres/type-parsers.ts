// How `pg` reads the ledger's column types, for the main thread's pool and the export worker
// alike (postgres/export-worker.ts): both must decode a row to the same values.
// int8 (counts, 1e-10 USD, epoch ms) and numeric (SUM of int8) as JS numbers: every value we store
// is below 2^53 (USD 900,000 in 1e-10 units per row; sums stay exact up to USD 900 million).
// date (the ledger's `day`, migration 0009) as the `YYYY-MM-DD` text it was written as, not a JS
// Date at some midnight: the connection's DateStyle is pinned to ISO (SESSION_OPTIONS).
export const NUMBER_OIDS = [20, 1700] as const;
export const TEXT_OIDS = [1082] as const;
export const SESSION_OPTIONS = '-c DateStyle=ISO,YMD';
