// The team engine: the ledger in Postgres through `pg`, several replicas sharing it. A batch is
// one transaction (multi-row statements); reads are asynchronous by nature, so nothing here can
// block the proxy's event loop beyond decoding a page of rows.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { LedgerEngine, WriteBatch } from '../ledger-engine.js';
import { migrate } from '../migrations.js';
import { packRow } from './compact-row.js';
import type { LedgerSchema } from '../schema.js';
import { postgresExportWorker } from './export-worker.js';
import { firstPage } from '../export-first-page.js';
import { NUMBER_OIDS, SESSION_OPTIONS, TEXT_OIDS } from './type-parsers.js';
import {
  deleteReservations,
  insertRequests,
  insertReservations,
  insertTerms,
  upsertWide,
} from '../statements.js';

/** Rows per statement: far below Postgres's 65,535 bind parameters at 28 columns a row. */
const CHUNK = 1000;

const numbers = new Set<number>(NUMBER_OIDS);
const texts = new Set<number>(TEXT_OIDS);
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    numbers.has(oid)
      ? (v: string) => Number(v)
      : texts.has(oid)
        ? (v: string) => v
        : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export async function openPostgres(url: string): Promise<LedgerEngine> {
  const pool = new pg.Pool({ connectionString: url, max: 8, types, options: SESSION_OPTIONS });
  // An idle connection the server drops (restart, failover) must not crash the process; the next
  // query opens a new one, and a failing write is retried by the ledger's queue.
  pool.on('error', () => undefined);
  const db = new Kysely<LedgerSchema>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrate(db as Kysely<unknown>, 'postgres');
  } catch (err) {
    await db.destroy();
    throw err;
  }

  async function write(b: WriteBatch): Promise<void> {
    await db.transaction().execute(async (trx) => {
      for (const rows of chunks(b.records.map(packRow))) await insertRequests(trx, rows).execute();
      for (const part of chunks(b.rollups)) await upsertWide(trx, part).execute();
      for (const rows of chunks(b.reserve)) await insertReservations(trx, rows).execute();
      for (const ids of chunks(b.settle)) await deleteReservations(trx, ids).execute();
      for (const rows of chunks(b.terms ?? [])) await insertTerms(trx, rows).execute();
    });
  }

  const exporter = postgresExportWorker(url, (plan, n) => firstPage(db, plan, n));
  return {
    kind: 'postgres',
    reader: db,
    writer: db,
    exclusive: false,
    write,
    exportPages: (plan) => exporter.exportPages(plan),
    sync: () => Promise.resolve(), // a committed Postgres transaction is already durable
    async close() {
      await exporter.close();
      await db.destroy();
    },
  };
}
