// Postgres exports on a worker thread with its own `pg` connection: the page loop, decoding each
// page's rows and formatting JSONL (export-loop-source.ts) happen there, so the proxy's thread
// only writes 64 kB chunks (issue 15: a month's JSONL formatted on the main thread, and `pg`
// decoding every page there, held it 11–14 ms at a time in scavenges). The thread starts with the
// first export (~100 ms: an isolate and `pg`), runs at nice 19 on Linux like SQLite's read
// worker, and stops once no export ran for a while.
import { createRequire } from 'node:module';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { ExportChannel } from '../export-channel.js';
import { EXPORT_LOOP_SOURCE } from '../export-loop-source.js';
import type { ExportChunk, ExportPlan } from '../export-plan.js';
import { firstPageThen, type FirstPage } from '../export-first-page.js';
import { rowReader } from '../record-row.js';
import { CANONICAL_PATH } from './compact-row.js';
import { NUMBER_OIDS, TEXT_OIDS, SESSION_OPTIONS } from './type-parsers.js';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.lowPriority) {
  try {
    require('node:os').setPriority(0, 19);
  } catch {}
}
const pg = require(workerData.driver);
const numbers = new Set(workerData.numberOids);
const texts = new Set(workerData.textOids);
const types = {
  getTypeParser: (oid, format) =>
    numbers.has(oid) ? (v) => Number(v) : texts.has(oid) ? (v) => v : pg.types.getTypeParser(oid, format),
};
// One connection, opened with the first page and kept while the thread lives.
let client;
async function connection() {
  if (client) return client;
  const c = new pg.Client({ connectionString: workerData.url, types, options: workerData.options, application_name: 'shimmy export' });
  c.on('error', () => { if (client === c) client = undefined; });
  await c.connect();
  return (client = c);
}
const runPage = async (sql, params) => (await (await connection()).query(sql, params)).rows;
const fromRow = (${rowReader.toString()})(${JSON.stringify(CANONICAL_PATH)});
${EXPORT_LOOP_SOURCE}
parentPort.on('message', exportMessage);
`;

/** No export for this long: the thread and its connection are stopped. */
const IDLE_STOP_MS = 60_000;

/**
 * `first`: an export's first page run on the main thread's pool (export-first-page.ts), while a
 * cold thread boots or a warm one waits for a CPU at nice 19; the thread runs every other page.
 */
export function postgresExportWorker(
  url: string,
  first: (plan: ExportPlan, n: number) => Promise<FirstPage>,
  idleStopMs = IDLE_STOP_MS,
) {
  const exports = new ExportChannel();
  let worker: Worker | undefined;
  let idle: NodeJS.Timeout | undefined;

  function start(): Worker {
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      // A small young generation: formatting a month of JSONL is all short-lived garbage, and
      // V8's default semi-spaces (up to 3 × 16 MB) are RSS the proxy's process would keep (issue
      // 15: ≤ 250 MB); scavenges of a small one cost this thread, never the proxy's.
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
      workerData: {
        url,
        driver: createRequire(import.meta.url).resolve('pg'),
        numberOids: NUMBER_OIDS,
        textOids: TEXT_OIDS,
        options: SESSION_OPTIONS,
        lowPriority: process.platform === 'linux',
      },
    });
    w.on('message', (m) => exports.onMessage(m as { exp?: number }));
    const gone = (err: Error) => {
      if (worker !== w) return;
      worker = undefined;
      exports.failAll(err);
    };
    w.on('error', gone);
    w.on('exit', () => gone(new Error('ledger export worker exited')));
    w.unref();
    return (worker = w);
  }

  return {
    async *exportPages(plan: ExportPlan): AsyncGenerator<ExportChunk> {
      clearTimeout(idle);
      // Started first, so it boots while the first page is read here; but in a turn of its own,
      // not the one that compiled the export's plan (new Worker() is 1–7 ms of this thread).
      if (!worker) await nextTurn();
      const w = worker ?? start();
      w.ref();
      try {
        yield* firstPageThen(plan, first, (rest) => exports.run(w, rest));
      } finally {
        if (exports.size === 0) {
          w.unref();
          idle = setTimeout(() => {
            if (exports.size > 0 || worker !== w) return;
            worker = undefined;
            void w.terminate();
          }, idleStopMs);
          idle.unref();
        }
      }
    },
    async close(): Promise<void> {
      clearTimeout(idle);
      const w = worker;
      worker = undefined;
      await w?.terminate();
    },
  };
}
