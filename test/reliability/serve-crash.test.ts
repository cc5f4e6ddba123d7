// kill -9 of a whole `shimmy serve` under load, 3 times on one data dir, checked against what the
// README ("The ledger: what is kept, and what a crash can lose") claims: a record is committed
// about 1 ms after its answer, so a kill loses at most the exact records of that last moment, and
// every admitted request was journaled with its worst-case cost, so the next start records what
// was in flight — and an answered request whose record had not been committed yet — as
// `estimated` (error class `interrupted`), never $0 and never missing. Each request's id comes from
// its `x-shimmy-request-id` header; the ledger is read with SQL after the restart. Load is bounded
// in count and time; only the serve PIDs started here are signalled. The figures are printed.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectAdmin } from '../../main/cli/admin-client.js';
import { cliEnv, freePort } from '../support/cli-process.js';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.js';
import { spawnServe, startServed } from './serve-fixture.js';

const KILLS = 3;
const WORKERS = 16; // of which SLOW_WORKERS hold a 3 s stream each
const SLOW_WORKERS = 2;
const MAX_REQUESTS_PER_ROUND = 4000;
const LOAD_MS = { min: 1500, jitter: 1000, max: 20_000 };
/** Answered this long before the kill and not in the ledger in any form = lost beyond the window
 *  the README states (1 ms; timers run late on this loaded 2-core machine, hence the margin). */
const LOSS_WINDOW_MS = 1000;

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());

interface Round {
  /** id → when the client had read the whole answer (ms, performance.now()). */
  answered: Map<string, number>;
  /** 200 headers received, body not finished at the kill: streams in flight. */
  inFlight: Set<string>;
  otherStatus: number;
  killedAt: number;
}

async function driveAndKill(url: string, token: string, kill: () => void): Promise<Round> {
  const round: Round = { answered: new Map(), inFlight: new Set(), otherStatus: 0, killedAt: 0 };
  let stop = false;
  let started = 0;
  const worker = async (w: number) => {
    for (let i = 0; !stop && started < MAX_REQUESTS_PER_ROUND; i++) {
      started++;
      const slow = w < SLOW_WORKERS;
      const stream = slow || i % 2 === 1;
      try {
        const res = await fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: slow ? 'slow-stream-3s' : 'gpt-4o-mini',
            stream,
            max_tokens: 64,
            messages: [{ role: 'user', content: `request ${w}.${i}` }],
          }),
        });
        const id = res.headers.get('x-shimmy-request-id');
        if (res.status !== 200 || !id) {
          round.otherStatus++;
          await res.arrayBuffer().catch(() => undefined);
          continue;
        }
        round.inFlight.add(id);
        await res.arrayBuffer();
        round.inFlight.delete(id);
        round.answered.set(id, performance.now());
      } catch {
        // Cut by the kill (or refused after it): not answered.
        if (!stop) await new Promise((r) => setTimeout(r, 5));
      }
    }
  };
  const t0 = performance.now();
  const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));
  const killAfter = LOAD_MS.min + Math.random() * LOAD_MS.jitter;
  while (performance.now() - t0 < LOAD_MS.max) {
    await new Promise((r) => setTimeout(r, 50));
    if (performance.now() - t0 >= killAfter && round.answered.size >= 100) break;
    if (started >= MAX_REQUESTS_PER_ROUND) break;
  }
  stop = true;
  round.killedAt = performance.now();
  kill();
  await Promise.all(workers);
  return round;
}

interface Row {
  id: string;
  estimated: number;
  error_class: string | null;
  cost_e10: number | null;
}

/** Waits until the restarted instance has recorded the dead one's journal, then reads every record. */
async function readLedger(dataDir: string): Promise<Map<string, Row>> {
  const db = new Database(path.join(dataDir, 'ledger.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const until = Date.now() + 15_000;
    while ((db.prepare('SELECT count(*) AS n FROM reservations').get() as { n: number }).n > 0) {
      if (Date.now() > until) throw new Error('the restart did not record the journaled reservations');
      await new Promise((r) => setTimeout(r, 100));
    }
    const rows = db.prepare('SELECT id, estimated, error_class, cost_e10 FROM requests').all() as Row[];
    // Roll-ups are committed in the same transaction as their records: they must agree exactly.
    const rolled = db.prepare('SELECT sum(requests) AS n FROM rollup_wide').get() as { n: number };
    expect(rolled.n).toBe(rows.length);
    return new Map(rows.map((r) => [r.id, r]));
  } finally {
    db.close();
  }
}

it(`kill -9 of serve under load, ${KILLS} times: every answered request is in the ledger (exact, or estimated when its record was in the last batch); streams in flight are kept as estimated spend`, async () => {
  const served = await startServed({ upstream });
  const { dataDir, token } = served;
  const admin = await connectAdmin(dataDir);
  // The slow stream's model gets a price, so its journaled worst case is a cost (USD per 1M tokens).
  await admin.call('putPrice', { params: { model: 'slow-stream-3s' }, body: { input: 1, output: 2 } });
  // The tool has no USD budget: its journal holds an estimate all the same (never $0).
  let url = served.url;
  let child = served.child;
  let exited = served.exited;
  const figures: string[] = [];
  const seen = new Set<string>();
  let next: ReturnType<typeof spawnServe> | undefined;
  try {
    for (let k = 1; k <= KILLS; k++) {
      const round = await driveAndKill(url, token, () => child.kill('SIGKILL'));
      await exited;
      // Restart on the same data dir (the lock a killed instance left is taken over).
      next = spawnServe({ dataDir, port: await freePort(), env: cliEnv().env });
      url = await next.listening;
      child = next.child;
      exited = next.exited;
      const ledger = await readLedger(dataDir);

      let exact = 0;
      let asEstimate = 0;
      const missing: number[] = []; // ms before the kill each missing answer was read
      for (const [id, at] of round.answered) {
        const row = ledger.get(id);
        if (!row) missing.push(round.killedAt - at);
        else if (row.error_class === 'interrupted') asEstimate++;
        else exact++;
      }
      let streamsKept = 0;
      for (const id of round.inFlight) {
        const row = ledger.get(id);
        if (row && row.estimated === 1 && row.error_class === 'interrupted' && (row.cost_e10 ?? 0) > 0)
          streamsKept++;
      }
      const interruptedNew = [...ledger.values()].filter(
        (r) => r.error_class === 'interrupted' && !seen.has(r.id),
      ).length;
      for (const id of ledger.keys()) seen.add(id);
      figures.push(
        `kill ${k}: answered ${round.answered.size}, kept exact ${exact}, kept as estimated ${asEstimate}, ` +
          `missing ${missing.length}${missing.length ? ` (answered ${Math.round(Math.max(...missing))} ms or less before the kill)` : ''}; ` +
          `streams in flight ${round.inFlight.size}, kept as estimated spend ${streamsKept}; ` +
          `interrupted records written at restart ${interruptedNew}; other statuses ${round.otherStatus}`,
      );
      console.log(figures.at(-1));
      if (process.env.DEBUG_CRASH)
        console.log([...round.inFlight].map((id) => JSON.stringify(ledger.get(id) ?? id)).join('\n'));
      expect(round.otherStatus).toBe(0);
      expect(round.answered.size).toBeGreaterThan(0);
      // Nothing answered before the loss window is missing; within it, at most a few batches.
      expect(missing.filter((ms) => ms > LOSS_WINDOW_MS)).toEqual([]);
      expect(missing.length).toBeLessThanOrEqual(Math.max(20, round.answered.size * 0.05));
      // A stream in flight was admitted, so journaled: kept at its worst case, never $0.
      expect(streamsKept).toBe(round.inFlight.size);
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  }
  console.log(`serve kill -9 figures:\n  ${figures.join('\n  ')}`);
}, 240_000);
