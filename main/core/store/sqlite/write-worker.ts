// The ledger's batches are committed on a worker thread with its own connection. A commit writes
// about ten pages (the record, its indexes, the wide roll-up row): ~200 µs that, on the main thread,
// were a fifth of the proxy's busy time at one request at a time — and a commit waiting for a lock
// another connection holds (a retention pass, the CLI's import) held every request up to the busy
// timeout. The main thread now only hands the batch over (arrays of column values: cheap to clone).
// A `kill -9` loses what is queued or handed over and not yet committed: still about a millisecond.
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** The prepared statements the worker runs, in the order its batch lists their parameter rows. */
export interface WriteStatements {
  record: string;
  rollup: string;
  reserve: string;
  settle: string;
  term: string;
}

/** One batch as parameter rows, one array of column values per statement run. */
export interface BatchRows {
  record: unknown[][];
  rollup: unknown[][];
  reserve: unknown[][];
  settle: unknown[][];
  term: unknown[][];
}

// Plain CommonJS evaluated in the worker: no file to locate next to the compiled code (or in an asar).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
// Per-connection settings, the same as the main connection's: checkpoints run on the read worker.
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
db.pragma('busy_timeout = 5000');
const names = Object.keys(workerData.statements);
const prepared = names.map((n) => db.prepare(workerData.statements[n]));
const commit = db.transaction((rows) => {
  for (let i = 0; i < names.length; i++) for (const r of rows[names[i]]) prepared[i].run(r);
});
// Batches handed over and finished, shared with the main thread: waitIdle() blocks on it.
const finished = new Int32Array(workerData.finished);
const replies = workerData.replies;
parentPort.on('message', ({ id, rows }) => {
  let reply;
  try {
    commit(rows);
    reply = { id };
  } catch (err) {
    reply = { id, error: String(err && err.message), code: err && err.code };
  }
  replies.postMessage(reply);
  Atomics.add(finished, 0, 1);
  Atomics.notify(finished, 0);
});
`;

interface Reply {
  id: number;
  error?: string;
  code?: string;
}

export interface WriteWorker {
  /** False once the worker has exited (then the caller commits on its own connection). */
  readonly running: boolean;
  /** Resolves once the batch is committed; rejects with the database's error (nothing written). */
  write(rows: BatchRows): Promise<void>;
  /**
   * Blocks the calling thread until every batch handed over is committed (or failed), or
   * `timeoutMs` passed. For a writer that hands over faster than the worker commits: the old,
   * synchronous behaviour, so what is not yet in the database stays bounded.
   */
  waitIdle(timeoutMs: number): void;
  close(): Promise<void>;
}

export function startWriteWorker(file: string, statements: WriteStatements): WriteWorker {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const finished = new Int32Array(new SharedArrayBuffer(4));
  let posted = 0;
  // Replies come on a port of our own, so waitIdle() can take them synchronously
  // (receiveMessageOnPort): a 'message' event can lag several event-loop turns behind the
  // worker's post, and meanwhile the queue behind a batch long committed would keep growing.
  const { port1: replies, port2 } = new MessageChannel();
  let worker: Worker | undefined = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver, statements, finished: finished.buffer, replies: port2 },
    transferList: [port2],
  });
  let nextId = 0;
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  const failAll = (err: Error) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
    worker = undefined;
    replies.close();
  };
  const onReply = (m: Reply) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (waiting.size === 0) replies.unref();
    if (!w) return;
    if (m.error !== undefined) w.reject(Object.assign(new Error(m.error), { code: m.code }));
    else w.resolve();
  };
  replies.on('message', onReply);
  worker.on('error', (err) => failAll(err));
  worker.on('exit', () => failAll(new Error('ledger write worker exited')));
  // After the listeners (adding a 'message' listener refs a port again). The reply port is
  // ref'd only while a batch is being committed, so the process may exit otherwise.
  worker.unref();
  replies.unref();

  return {
    get running() {
      return worker !== undefined;
    },
    write(rows) {
      const w = worker;
      if (!w) return Promise.reject(new Error('ledger write worker is not running'));
      const id = nextId++;
      // Keep the process alive only while a batch is being committed.
      if (waiting.size === 0) replies.ref();
      return new Promise<void>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        w.postMessage({ id, rows });
        posted++;
      });
    },
    waitIdle(timeoutMs) {
      const until = Date.now() + timeoutMs;
      for (let seen = Atomics.load(finished, 0); worker && seen < posted; seen = Atomics.load(finished, 0)) {
        const left = until - Date.now();
        if (left <= 0) return;
        Atomics.wait(finished, 0, seen, left);
      }
      // The replies of what finished, now: their promises settle at the next microtask checkpoint.
      for (let m = receiveMessageOnPort(replies); m; m = receiveMessageOnPort(replies)) onReply(m.message as Reply);
    },
    async close() {
      const w = worker;
      worker = undefined;
      replies.close();
      await w?.terminate();
    },
  };
}
