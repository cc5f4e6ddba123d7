// Shared fixtures for the ledger conformance tests: a valid record factory, a temp dir per test,
// and a ledger opened on each engine — SQLite in the temp dir, or a real Postgres the tests start.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { afterAll, beforeAll, describe, it } from 'vitest';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type LogConfig } from 'kysely';
import pg from 'pg';
import type { LedgerRecord } from '../../../shared/ledger.js';
import { openLedger, type Ledger, type LedgerOptions } from '../../../main/core/ledger/index.js';
import type { LogQuery } from '../../../main/core/ledger/types.js';
import { openPostgres, openSqlite, type LedgerEngine } from '../../../main/core/store/index.js';
import { postgresMissing, startPostgres, type TestPostgres } from '../../support/postgres.js';
import { ledgerRecord } from '../../../renderer/src/test-support/ledger-record.js';

export type EngineKind = 'sqlite' | 'postgres';
/** Every suite runs once per engine; Postgres is skipped (with the reason) only when not installed. */
export const ENGINES: { kind: EngineKind; skip: string | undefined }[] = [
  { kind: 'sqlite', skip: undefined },
  { kind: 'postgres', skip: postgresMissing },
];

/**
 * `describe` once per engine, named "<name> on sqlite|postgres"; where Postgres is not installed its
 * suite is one skipped case that says why, instead of failing.
 */
export function describeEngines(name: string, fn: (kind: EngineKind) => void): void {
  describe.each(ENGINES)(`${name} on $kind`, ({ kind, skip }) => {
    if (skip) {
      it.skip(skip, () => undefined);
      return;
    }
    fn(kind);
  });
}

let server: Promise<TestPostgres> | undefined;
afterAll(async () => {
  const s = server;
  server = undefined;
  if (s) await (await s).stop();
}, 30_000);

/** The same dir always reaches the same database, so a test can close and reopen. */
export async function openEngine(kind: EngineKind, dir: string): Promise<LedgerEngine> {
  if (kind === 'sqlite') {
    await mkdir(dir, { recursive: true });
    return openSqlite(join(dir, 'ledger.sqlite'));
  }
  server ??= startPostgres();
  const name = `t_${createHash('sha256').update(dir).digest('hex').slice(0, 16)}`;
  return openPostgres(await (await server).migratedDatabase(name));
}

export function opener(kind: EngineKind) {
  return async (dir: string, over: Partial<Omit<LedgerOptions, 'engine'>> = {}): Promise<Ledger> =>
    openLedger({
      engine: await openEngine(kind, dir),
      timeZone: () => 'UTC',
      retentionDays: () => 30,
      ...over,
    });
}

/** A finished request for the ledger tests: the dashboard's fixture (its hand-computed cost beside
 *  it) as tool "aider"'s unstreamed call, with the id and time each test must give. */
export function record(over: Partial<LedgerRecord> & { id: string; time: string }): LedgerRecord {
  const { id: _id, time: _time, ...rest } = ledgerRecord({ tool: 'aider', streamed: false });
  return { ...rest, ...over };
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'shimmy-ledger-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The database `openEngine(kind, dir)` opens, as a bare Kysely with no migration run (upgrade tests). */
export async function bareDatabase(kind: EngineKind, dir: string, log?: LogConfig): Promise<Kysely<unknown>> {
  if (kind === 'sqlite') {
    await mkdir(dir, { recursive: true });
    return new Kysely({
      dialect: new SqliteDialect({ database: new Database(join(dir, 'ledger.sqlite')) }),
      ...(log ? { log } : {}),
    });
  }
  server ??= startPostgres();
  const name = `t_${createHash('sha256').update(dir).digest('hex').slice(0, 16)}`;
  const pool = new pg.Pool({ connectionString: await (await server).database(name), max: 1 });
  return new Kysely({ dialect: new PostgresDialect({ pool }), ...(log ? { log } : {}) });
}

/** What ledger.exportTo writes to a PassThrough (not a socket: every chunk is kept), as text. */
export async function exportedText(
  ledger: Ledger,
  format: 'csv' | 'jsonl',
  q: LogQuery = {},
): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await ledger.exportTo(format, q, out);
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

/** A ledger on `kind` in a fresh temp dir holding `records` (oldest first), flushed; `newest` is
 *  them newest first, the order a query or an export gives. */
export async function filledLedger(
  kind: EngineKind,
  records: LedgerRecord[],
): Promise<{ ledger: Ledger; dir: string; cleanup: () => Promise<void>; newest: LedgerRecord[] }> {
  const { dir, cleanup } = await tempDir();
  const ledger = await opener(kind)(dir);
  for (const r of records) ledger.append(r);
  await ledger.flush();
  return { ledger, dir, cleanup, newest: [...records].reverse() };
}

/**
 * In a describe block whose tests only read: `records()` written once (beforeAll) to a ledger on
 * `kind` in a temp dir, which is then closed; `open()` opens a new ledger on them, its workers cold
 * as after a start. Writing 3,000 records before every test was most of such a file's time.
 */
export function seededOnce(
  kind: EngineKind,
  records: () => LedgerRecord[],
): { dir: string; newest: LedgerRecord[]; open: () => Promise<Ledger> } {
  const seeded = { dir: '', newest: [] as LedgerRecord[], open: () => opener(kind)(seeded.dir) };
  let cleanup: () => Promise<void> = () => Promise.resolve();
  beforeAll(async () => {
    const filled = await filledLedger(kind, records());
    await filled.ledger.close();
    ({ dir: seeded.dir, newest: seeded.newest, cleanup } = filled);
  });
  afterAll(() => cleanup());
  return seeded;
}

/** Every record as the log reads it back on this thread (fromRow's key order), newest first. */
export async function readBack(ledger: Ledger): Promise<LedgerRecord[]> {
  const out: LedgerRecord[] = [];
  let before: string | undefined;
  do {
    const page = await ledger.query({ limit: 1000, ...(before ? { before } : {}) });
    out.push(...page.records);
    before = page.nextBefore;
  } while (before);
  return out;
}

/** Hands `seen` each chunk written to `stream` on this thread, before the stream writes it. */
export function onWrite(stream: Writable, seen: (chunk: unknown) => void): void {
  const write = stream.write.bind(stream) as (...a: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    seen(chunk);
    return write(chunk, ...rest);
  }) as typeof stream.write;
}

/** Each thread of this process and its nice value (Linux: /proc, where nice is per thread). */
export function niceByThread(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
    out.set(tid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
  }
  return out;
}
