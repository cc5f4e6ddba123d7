// Storage engines behind one interface: the embedded SQLite file (default) or a shared Postgres.
export type { LedgerEngine, WriteBatch } from './ledger-engine.js';
export { openSqlite } from './sqlite/open-sqlite.js';
export { openPostgres } from './postgres/open-postgres.js';
import type { LedgerEngine } from './ledger-engine.js';
import { openPostgres } from './postgres/open-postgres.js';
import { openSqlite } from './sqlite/open-sqlite.js';

/** `postgres://…` / `postgresql://…` → Postgres; anything else is a SQLite file path. */
export const isPostgresUrl = (database: string) => /^postgres(ql)?:\/\//i.test(database);

export function openLedgerEngine(database: string): Promise<LedgerEngine> {
  return isPostgresUrl(database) ? openPostgres(database) : openSqlite(database);
}

/** Shown in logs and errors without the password a database URL may carry. */
export function redactDatabase(database: string): string {
  return database.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@]*@/i, '$1:***@');
}
