// Storage engines behind one interface: the embedded SQLite file (default) or a shared Postgres.
export type { LedgerEngine, WriteBatch } from './ledger-engine.js';
export { openSqlite } from './sqlite/open-sqlite.js';
import type { LedgerEngine } from './ledger-engine.js';
import { openSqlite } from './sqlite/open-sqlite.js';

/** Loaded only for a `postgres://` ledger: `pg` is not worth its start-up time to a SQLite one. */
export async function openPostgres(url: string): Promise<LedgerEngine> {
  return (await import('./postgres/open-postgres.js')).openPostgres(url);
}

/** `postgres://…` / `postgresql://…` → Postgres; anything else is a SQLite file path. */
export const isPostgresUrl = (database: string) => /^postgres(ql)?:\/\//i.test(database);

export function openLedgerEngine(database: string): Promise<LedgerEngine> {
  return isPostgresUrl(database) ? openPostgres(database) : openSqlite(database);
}

/** Shown in logs and errors without the password a database URL may carry. */
export function redactDatabase(database: string): string {
  return database.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@]*@/i, '$1:***@');
}
