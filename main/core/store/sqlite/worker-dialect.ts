// A Kysely dialect whose queries run on a worker thread with its own read connection: a query
// that takes a second (a text search over every record) costs the proxy's event loop only the
// hand-over of its result. WAL lets this reader and the main thread's writer run side by side.
// The thread (an isolate, ~10 MB, and up to 16 MB of page cache) starts with the first query and
// stops once no query came for a while (issue 16's RSS); the next query starts it again (~85 ms).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import { ExportChannel } from '../export-channel.js';
import { EXPORT_LOOP_SOURCE } from '../export-loop-source.js';
import type { ExportChunk, ExportPlan } from '../export-plan.js';
import { rowReader } from '../record-row.js';
import { CANONICAL_PATH } from '../postgres/compact-row.js';

// Plain CommonJS evaluated in the worker: no file to locate next to the compiled code (or in an asar).
// Exports run their whole page loop here too (export-loop-source.ts).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// Linux: nice is per thread, so this lowers this thread alone — on 2 cores the proxy's event loop
// (and its GC helpers) get the CPU first while a query or an export page is built here. Elsewhere
// it would lower the whole process, the proxy with it.
if (workerData.lowPriority) {
  try {
    require('node:os').setPriority(0, 19);
  } catch {}
}
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('cache_size = -16000');
const statements = new Map();
const CHUNK = workerData.chunk;
// Results larger than a chunk wait here, a chunk sent each time the main thread asks for the next.
const unsent = new Map();
function sendChunk(id) {
  const u = unsent.get(id);
  if (!u) return;
  const rows = u.rows.slice(u.at, u.at + CHUNK);
  u.at += CHUNK;
  const more = u.at < u.rows.length;
  if (!more) unsent.delete(id);
  parentPort.postMessage({ id, rows, more });
}
const fromRow = (${rowReader.toString()})(${JSON.stringify(CANONICAL_PATH)});
function statement(sql) {
  let st = statements.get(sql);
  if (!st) {
    if (statements.size > 500) statements.clear();
    statements.set(sql, (st = db.prepare(sql)));
  }
  return st;
}
const runPage = async (sql, params) => statement(sql).all(params);
${EXPORT_LOOP_SOURCE}
parentPort.on('message', (m) => {
  if (m.start !== undefined || m.give !== undefined || m.cancel !== undefined) return exportMessage(m);
  const { id, sql, params, next } = m;
  if (next !== undefined) return sendChunk(next);
  try {
    const st = statement(sql);
    const rows = st.reader ? st.all(params) : (st.run(params), []);
    if (rows.length <= CHUNK) return parentPort.postMessage({ id, rows });
    unsent.set(id, { rows, at: 0 });
    sendChunk(id);
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message), code: err && err.code });
  }
});
`;

/**
 * Rows per message: a large result (15,000 rows of a 30-day day × tool × user grouping) handed
 * over whole is one structured-clone decode on the main thread, tens of ms the proxy waits; in
 * chunks asked for one at a time, the proxy runs between them (issue 15: blocked ≤ 10 ms). 250,
 * not 1,000: decoding 1,000 grouped rows was ~3 ms of the proxy's turn on this 2-core VM.
 */
const CHUNK_ROWS = 250;

/** No query for this long (up to twice it): the thread is stopped, its page cache with it. */
export const READ_IDLE_STOP_MS = 60_000;

interface Reply {
  id: number;
  rows?: unknown[];
  /** More chunks of this result follow, each sent when asked for ({ next: id }). */
  more?: boolean;
  error?: string;
  code?: string;
}

class WorkerDriver implements Driver {
  private worker: Worker | undefined;
  private destroyed = false;
  private nextId = 0;
  /** Queries sent so far; the idle check compares it between two looks. */
  private sent = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly exports = new ExportChannel();
  private readonly waiting = new Map<
    number,
    { resolve: (rows: unknown[]) => void; reject: (e: Error) => void; rows?: unknown[] }
  >();

  constructor(
    private readonly file: string,
    private readonly idleStopMs: number,
  ) {}

  // Kysely calls this before the first query; the thread starts with that query (start()).
  init(): Promise<void> {
    return Promise.resolve();
  }

  private start(): Worker {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // A small young generation, as Postgres's export worker has: a month's JSONL export is all
      // short-lived garbage formatted here, and V8's default semi-spaces (up to 3 × 16 MB) stay
      // RSS of the proxy's process (issue 15: ≤ 250 MB; 241–246 MB peaked in that export).
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
      workerData: { file: this.file, driver, chunk: CHUNK_ROWS, lowPriority: process.platform === 'linux' },
    });
    worker.on('message', (m: Reply) => {
      if (this.exports.onMessage(m)) return;
      const w = this.waiting.get(m.id);
      if (!w) return;
      if (m.more) {
        // Collected without copying; the next chunk is asked for after other work has had a turn.
        const got = m.rows ?? [];
        if (w.rows) for (const r of got) w.rows.push(r);
        else w.rows = got;
        setImmediate(() => this.worker?.postMessage({ next: m.id }));
        return;
      }
      this.waiting.delete(m.id);
      if (m.error !== undefined) w.reject(Object.assign(new Error(m.error), { code: m.code }));
      else if (w.rows) {
        for (const r of m.rows ?? []) w.rows.push(r);
        w.resolve(w.rows);
      } else w.resolve(m.rows ?? []);
    });
    // A thread stopped for idleness (or one that died) must not fail the queries of its successor.
    worker.on('error', (err) => this.worker === worker && this.failAll(err));
    worker.on('exit', () => this.worker === worker && this.failAll(new Error('ledger read worker exited')));
    // After the listeners: adding a 'message' listener refs the worker's port again, so an unref()
    // before it would be undone and an idle ledger would keep the process alive.
    worker.unref();
    this.worker = worker;
    this.watchIdle(worker);
    return worker;
  }

  /** Stops `worker` once a whole idleStopMs passed with no query sent and none pending. */
  private watchIdle(worker: Worker): void {
    let seen = this.sent;
    clearTimeout(this.idleTimer);
    const timer = setTimeout(() => {
      if (this.worker !== worker) return;
      if (this.sent !== seen || this.waiting.size > 0 || this.exports.size > 0) {
        seen = this.sent;
        timer.refresh();
        return;
      }
      this.worker = undefined;
      void worker.terminate();
    }, this.idleStopMs);
    // One timer re-armed, firing once per idleStopMs at most: an idle proxy's wake-ups stay few.
    timer.unref();
    this.idleTimer = timer;
  }

  private failAll(err: Error): void {
    this.exports.failAll(err);
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
    this.worker = undefined;
  }

  private run(sql: string, params: readonly unknown[]): Promise<unknown[]> {
    if (this.destroyed) return Promise.reject(new Error('ledger read worker is not running'));
    const worker = this.worker ?? this.start();
    this.sent++;
    const id = this.nextId++;
    // Keep the process alive only while a query is pending.
    if (this.waiting.size === 0) worker.ref();
    return new Promise<unknown[]>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, sql, params });
    }).finally(() => {
      if (this.waiting.size === 0 && this.exports.size === 0) this.worker?.unref();
    });
  }

  /** An export's chunks, its pages queried and formatted on this thread (export-loop-source.ts). */
  async *exportPages(plan: ExportPlan): AsyncGenerator<ExportChunk> {
    if (this.destroyed) throw new Error('ledger read worker is not running');
    const worker = this.worker ?? this.start();
    this.sent++;
    worker.ref();
    try {
      yield* this.exports.run(worker, plan);
    } finally {
      this.sent++;
      if (this.waiting.size === 0 && this.exports.size === 0) this.worker?.unref();
    }
  }

  acquireConnection(): Promise<DatabaseConnection> {
    const connection: DatabaseConnection = {
      executeQuery: async <R>(q: CompiledQuery): Promise<QueryResult<R>> => ({
        rows: (await this.run(q.sql, q.parameters)) as R[],
      }),
      streamQuery: () => {
        throw new Error('the ledger read worker does not stream; page with a cursor');
      },
    };
    return Promise.resolve(connection);
  }

  beginTransaction(): Promise<void> {
    return Promise.reject(new Error('the ledger read worker runs no transactions'));
  }
  commitTransaction(): Promise<void> {
    return this.beginTransaction();
  }
  rollbackTransaction(): Promise<void> {
    return this.beginTransaction();
  }
  releaseConnection(): Promise<void> {
    return Promise.resolve();
  }
  async destroy(): Promise<void> {
    this.destroyed = true;
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}

export class WorkerSqliteDialect implements Dialect {
  private driver: WorkerDriver | undefined;
  constructor(
    private readonly file: string,
    private readonly idleStopMs = READ_IDLE_STOP_MS,
  ) {}
  createDriver(): Driver {
    return (this.driver = new WorkerDriver(this.file, this.idleStopMs));
  }
  /** An export run on the read worker; its Kysely instance must exist (it creates the driver). */
  exportPages(plan: ExportPlan): AsyncGenerator<ExportChunk> {
    if (!this.driver) throw new Error('the ledger read worker has no driver yet');
    return this.driver.exportPages(plan);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's own signature
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}
