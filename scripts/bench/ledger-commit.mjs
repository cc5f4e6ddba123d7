// What one request costs the ledger's write path on the main thread (issue 11's c=1 profile: the
// SQLite commit `run`): the proxy commits a request's reservation at admission and, in a later
// batch, its record with its roll-up increments and the reservation's settlement. This times
// engine.write() for N such pairs of batches of 1 record (c=1: every request pays its own commits)
// and of 32 records (c=32) — CPU time of the write() calls (user + system, so the WAL writes'
// kernel time counts) — on a copy of a filled ledger so every index has its real depth, and
// prints µs per record. `node scripts/bench/ledger-commit.mjs FILE [--dist DIR] [--rounds N]`
// (DIR: a compiled core, default dist/; FILE is opened as is: pass a scratch copy).
import { pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { makeRecord } from './ledger-data.mjs';

const cpuMs = (since) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

/** Batches per size per round: bounded in count (and a round takes a few seconds at most). */
const PAIRS = { 1: 2000, 32: 200 };

export async function commitCost({ file, dist = join(import.meta.dirname, '../../dist'), rounds = 3 }) {
  const core = (p) => import(pathToFileURL(resolve(dist, 'main/core', p)).href);
  const { openSqlite } = await core('store/index.js');
  const { toRow } = await core('store/record-row.js');
  const queue = await core('ledger/write-queue.js');
  // The previous write path upserted three narrow roll-ups (rollupDeltas); this one the wide one.
  const deltas = queue.wideDeltas ?? queue.rollupDeltas;
  const engine = await openSqlite(file);
  // A second connection counts the WAL frames (4 KiB pages) each burst of commits wrote: a measure
  // of the commit's work that a loaded machine cannot blur.
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const side = new Database(file);
  const frames = () => side.pragma('wal_checkpoint(PASSIVE)')[0].log;
  /** An empty WAL, once the engine's own checkpoint (on its worker) is not running. */
  const emptyWal = async () => {
    for (let i = 0; i < 200; i++) {
      const r = side.pragma('wal_checkpoint(TRUNCATE)')[0];
      if (r.busy === 0 && r.log === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the WAL could not be emptied to count frames');
  };
  const start = Date.now() + 86_400_000; // after the filled history: the indexes' right edge, as live traffic
  let n = 0;
  const out = {};
  try {
    for (const size of [1, 32]) {
      const perRound = [];
      let pages = 0;
      for (let round = 0; round < rounds; round++) {
        let busy = 0;
        // The last round does not yield: the engine's own checkpoint (a timer) cannot reset the WAL
        // before its frames are counted.
        const counted = round === rounds - 1;
        if (counted) await emptyWal();
        for (let p = 0; p < PAIRS[size]; p++) {
          const rows = [];
          for (let i = 0; i < size; i++) {
            const r = makeRecord(n, start, 1000, 1);
            r.id = randomUUID(); // as the proxy: a random leaf of the id index per record
            n++;
            r.time = new Date(start + n).toISOString();
            rows.push(toRow(r, r.time.slice(0, 10)));
          }
          const reserve = rows.map((r) => ({
            id: r.id,
            instance: 'bench',
            time_ms: r.time_ms,
            day: r.day,
            tool: r.tool,
            cost_e10: r.cost_e10,
            record: JSON.stringify({ provider: r.provider, model: r.model, path: r.path, user: r.user }),
          }));
          // CPU time, not wall time: on a loaded machine a niced process's wall time is mostly waiting.
          let t = process.cpuUsage();
          // Awaited: the commit may run on the engine's write worker (its CPU is in cpuUsage too).
          await engine.write({ records: [], rollups: [], reserve, settle: [], terms: [] });
          busy += cpuMs(t);
          t = process.cpuUsage();
          const batch = {
            records: rows,
            rollups: deltas(rows),
            reserve: [],
            settle: rows.map((r) => r.id),
            terms: [],
          };
          await engine.write(batch);
          busy += cpuMs(t);
          // A turn between batches, as in the proxy.
          if (!counted) await new Promise((r) => setImmediate(r));
        }
        if (counted) pages = frames() / (PAIRS[size] * size);
        perRound.push((busy * 1000) / (PAIRS[size] * size));
      }
      perRound.sort((a, b) => a - b);
      out[size] = { medianUs: perRound[Math.floor(perRound.length / 2)], rounds: perRound, pages };
    }
  } finally {
    side.close();
    await engine.close();
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { dist: { type: 'string' }, rounds: { type: 'string', default: '3' } },
  });
  const r = await commitCost({ file: positionals[0], dist: values.dist, rounds: Number(values.rounds) });
  for (const [size, v] of Object.entries(r))
    console.log(
      `batches of ${size.padStart(2)}: ${v.medianUs.toFixed(1)} µs CPU per record (rounds: ${v.rounds.map((x) => x.toFixed(1)).join(', ')}), ${v.pages.toFixed(2)} WAL pages per record`,
    );
}
