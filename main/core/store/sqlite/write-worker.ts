// The ledger's batches are committed on a worker thread with its own connection. A commit writes
// about ten pages (the record, its indexes, the wide roll-up row): ~200 µs that, on the main thread,
// were a fifth of the proxy's busy time at one request at a time — and a commit waiting for a lock
// another connection holds (a retention pass, the CLI's import) held every request up to the busy
// timeout. The main thread now only hands the batch over (arrays of column values: cheap to clone).
// A `kill -9` loses what is queued or handed over and not yet committed: one to two milliseconds.
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

/** The write connection's page cache, KiB. */
const WRITE_CACHE_KIB = 2048;
/**
 * While batches keep coming (one in the last LINGER_MS), the worker looks for the next one on its
 * own timer instead of sleeping until the main thread wakes it: every WORKER_POLL_MS for the first
 * BRISK_MS after a batch, then every SLOW_POLL_MS. A record handed over is then committed within
 * WORKER_POLL_MS (SLOW_POLL_MS in a lull; plus the commit), and the hand-over wakes no thread.
 * After LINGER_MS without a batch it sleeps, and the next hand-over wakes it as before.
 *
 * Why LINGER_MS is long: waking a sleeping thread blocked the waker 100–130 µs on this VM
 * (Atomics.notify after a 2–10 ms sleep; 10 µs after one of a few µs), and under saturated
 * streaming the main thread hands batches over 4–20 ms apart (each waits for the previous one's
 * commit, which it reads when it next looks: POLL_MS below). A 4 ms linger slept through most of
 * those gaps: 306 wakes in 400 hand-overs, ~17 µs of the main thread per streamed request. The
 * cost is the worker's, on its own core: at most BRISK_MS / WORKER_POLL_MS +
 * (LINGER_MS − BRISK_MS) / SLOW_POLL_MS timed wake-ups (~48) after the last batch.
 */
export const WORKER_POLL_MS = 0.25;
const BRISK_MS = 4;
const SLOW_POLL_MS = 1;
export const LINGER_MS = 36;

// Plain CommonJS evaluated in the worker: no file to locate next to the compiled code (or in an asar).
const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
// Per-connection settings, the same as the main connection's: checkpoints run on the read worker.
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
db.pragma('busy_timeout = 5000');
// better-sqlite3's default page cache is 16 MB per connection, and every page this connection
// writes stays in it: over 100k records it filled to the whole 16 MB of RSS (issue 16). A commit
// touches ~10 pages (the record, its indexes' rightmost leaves, the roll-up row); pages read
// again come from the OS's file cache.
db.pragma('cache_size = -${WRITE_CACHE_KIB}');
const names = Object.keys(workerData.statements);
const prepared = names.map((n) => db.prepare(workerData.statements[n]));
const commit = db.transaction((rows) => {
  for (let i = 0; i < names.length; i++) for (const r of rows[names[i]]) prepared[i].run(r);
});
// [0]: batches finished, [1]: of them failed. Shared with the main thread, which reads them when it
// is awake anyway (a reply per batch woke its event loop once more per request: ~40 µs at c=1).
const finished = new Int32Array(workerData.finished);
const replies = workerData.replies;
// Batches come on a port of their own, taken with receiveMessageOnPort by the loop below, which
// never returns to this thread's event loop: a message posted to a loop that is not waiting on its
// port wakes no thread (libuv's async handle stays pending), so a hand-over costs the proxy's
// event loop no thread wake-up (~40-60 µs of its CPU on this VM, a tenth of its busy time at c=1).
// [0]: batches handed over (the main thread counts them), [1]: 1 while this thread sleeps until
// notified, so only the hand-over that finds it asleep wakes it.
const batches = workerData.batches;
const signal = new Int32Array(workerData.signal);
const { performance } = require('node:perf_hooks');
const run = ({ id, rows }) => {
  try {
    commit(rows);
  } catch (err) {
    // Only a failure is posted, before it is counted: a reader that sees the count finds it queued.
    replies.postMessage({ id, error: String(err && err.message), code: err && err.code });
    Atomics.add(finished, 1, 1);
  }
  Atomics.add(finished, 0, 1);
  Atomics.notify(finished, 0);
};
let lastBatchAt = -Infinity;
for (;;) {
  let m = receiveMessageOnPort(batches);
  if (m) {
    run(m.message);
    lastBatchAt = performance.now();
    continue;
  }
  const since = performance.now() - lastBatchAt;
  if (since < ${LINGER_MS}) {
    // Traffic: look again soon (this thread's own timer, on its own core).
    Atomics.wait(signal, 0, Atomics.load(signal, 0), since < ${BRISK_MS} ? ${WORKER_POLL_MS} : ${SLOW_POLL_MS});
    continue;
  }
  // Quiet: sleep until a hand-over notifies. Flag first, then look once more, so a batch handed
  // over in between is either seen here or changes the count the wait compares.
  Atomics.store(signal, 1, 1);
  const handed = Atomics.load(signal, 0);
  m = receiveMessageOnPort(batches);
  if (!m) Atomics.wait(signal, 0, handed);
  Atomics.store(signal, 1, 0);
  if (m) {
    run(m.message);
    lastBatchAt = performance.now();
  }
}
`;

interface Reply {
  id: number;
  error?: string;
  code?: string;
}

/**
 * Longest a committed batch's promise waits for its settling when nothing else looks (a write, a
 * check by the queue): the promise settles when the main thread reads the shared count, not on a
 * message of its own. Under traffic every hand-over looks first, so this timer never fires.
 */
const POLL_MS = 4;

export interface WriteWorker {
  /** False once the worker has exited (then the caller commits on its own connection). */
  readonly running: boolean;
  /** Resolves once the batch is committed; rejects with the database's error (nothing written). */
  write(rows: BatchRows): Promise<void>;
  /**
   * True when every batch handed over is committed or failed; settles their promises (at the
   * next microtask checkpoint). Cheap: two atomic reads when nothing failed.
   */
  idle(): boolean;
  /**
   * Blocks the calling thread until every batch handed over is committed (or failed), or
   * `timeoutMs` passed. For a writer that hands over faster than the worker commits: the old,
   * synchronous behaviour, so what is not yet in the database stays bounded.
   */
  waitIdle(timeoutMs: number): void;
  /** Hand-overs that had to wake the worker (it had slept after LINGER_MS without a batch). */
  readonly wakes: number;
  close(): Promise<void>;
}

export function startWriteWorker(file: string, statements: WriteStatements): WriteWorker {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  // [0] batches finished, [1] of them failed (see the worker).
  const finished = new Int32Array(new SharedArrayBuffer(8));
  let posted = 0;
  let failuresSeen = 0;
  // Failures come on a port of our own, so poll() and waitIdle() can take them synchronously
  // (receiveMessageOnPort) as soon as the count says one is there.
  const { port1: replies, port2 } = new MessageChannel();
  // Batches go on a port the worker reads synchronously (see its loop); [0] of `signal` counts
  // them, [1] is 1 while the worker sleeps until notified.
  const { port1: batches, port2: batchesIn } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(8));
  let wakes = 0;
  let worker: Worker | undefined = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      file,
      driver,
      statements,
      finished: finished.buffer,
      replies: port2,
      batches: batchesIn,
      signal: signal.buffer,
    },
    transferList: [port2, batchesIn],
  });
  // In the order handed over, which is the order the worker commits them: ids below the finished
  // count are done.
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let pollTimer: NodeJS.Timeout | undefined;
  const failAll = (err: Error) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
    worker = undefined;
    clearTimeout(pollTimer);
    replies.close();
    batches.close();
  };
  const onFailure = (m: Reply) => {
    failuresSeen++;
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    w?.reject(Object.assign(new Error(m.error), { code: m.code }));
  };
  const poll = (): boolean => {
    if (waiting.size === 0) return true;
    // The count first: a failure is queued and counted before its batch counts as finished.
    const done = Atomics.load(finished, 0);
    if (Atomics.load(finished, 1) !== failuresSeen)
      for (let m = receiveMessageOnPort(replies); m; m = receiveMessageOnPort(replies))
        onFailure(m.message as Reply);
    for (const [id, w] of waiting) {
      if (id >= done) break;
      waiting.delete(id);
      w.resolve();
    }
    return waiting.size === 0;
  };
  // A failure is also taken when it arrives, should nothing poll before.
  replies.on('message', onFailure);
  worker.on('error', (err) => failAll(err));
  worker.on('exit', () => failAll(new Error('ledger write worker exited')));
  // After the listeners (adding a 'message' listener refs a port again): while batches are
  // pending, the poll timer keeps the process alive; otherwise it may exit.
  worker.unref();
  replies.unref();

  return {
    get running() {
      return worker !== undefined;
    },
    write(rows) {
      const w = worker;
      if (!w) return Promise.reject(new Error('ledger write worker is not running'));
      poll();
      const id = posted++;
      const done = new Promise<void>((resolve, reject) => waiting.set(id, { resolve, reject }));
      batches.postMessage({ id, rows });
      // Counted after it is on the port; the worker flags its sleep before it looks a last time
      // (see its loop), so a worker that missed this batch sees the flag read 1 here.
      Atomics.add(signal, 0, 1);
      if (Atomics.load(signal, 1) === 1) {
        wakes++;
        Atomics.notify(signal, 0);
      }
      // One Timeout re-armed per hand-over, not one created: it fires only once traffic pauses.
      if (pollTimer) pollTimer.refresh();
      else
        pollTimer = setTimeout(function check() {
          if (!poll()) pollTimer?.refresh();
        }, POLL_MS);
      return done;
    },
    idle: poll,
    get wakes() {
      return wakes;
    },
    waitIdle(timeoutMs) {
      const until = Date.now() + timeoutMs;
      for (let seen = Atomics.load(finished, 0); worker && seen < posted; seen = Atomics.load(finished, 0)) {
        const left = until - Date.now();
        if (left <= 0) break;
        Atomics.wait(finished, 0, seen, left);
      }
      poll();
    },
    async close() {
      const w = worker;
      worker = undefined;
      clearTimeout(pollTimer);
      replies.close();
      batches.close();
      await w?.terminate();
    },
  };
}
