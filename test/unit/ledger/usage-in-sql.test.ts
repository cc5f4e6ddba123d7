// Usage groupings are grouped, merged and ordered by the database: the proxy's thread receives one
// row per answered group, never per-tool or per-part rows it would have to merge itself (issue 15).
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { KyselyPlugin, QueryResult, UnknownRow } from 'kysely';
import { openLedger, type Ledger } from '../../../main/core/ledger/index.js';
import { describeEngines, openEngine, record, tempDir } from './helpers.js';

describeEngines('usage grouped in SQL', (kind) => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let ledger: Ledger;
  let rowsRead = 0;
  // Rows of sums this thread read in the current turn of its event loop (watched rows only).
  let watch = false;
  const readThisTurn = new Set<object>();
  const watched = (row: UnknownRow): UnknownRow =>
    new Proxy(row, {
      get(target, key, receiver) {
        readThisTurn.add(target);
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
  // Counts the rows of sums (not the meta lookup) the reader hands back to this thread.
  const counter: KyselyPlugin = {
    transformQuery: (a) => a.node,
    transformResult: (a): Promise<QueryResult<UnknownRow>> => {
      if (!a.result.rows.some((r) => 'requests' in r)) return Promise.resolve(a.result);
      rowsRead += a.result.rows.length;
      return Promise.resolve(watch ? { ...a.result, rows: a.result.rows.map(watched) } : a.result);
    },
  };

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    const engine = await openEngine(kind, dir);
    ledger = await openLedger({
      engine: { ...engine, reader: engine.reader.withPlugin(counter), close: () => engine.close() },
      timeZone: () => 'UTC',
      retentionDays: () => 30,
    });
    // 4 tools × 3 days × 2 users, $0.001 each ($0.002 for tool t0, so it ranks first).
    let n = 0;
    for (let day = 1; day <= 3; day++)
      for (let t = 0; t < 4; t++)
        for (const user of ['u1', 'u2'])
          ledger.append(
            record({
              id: `r${n++}`,
              time: new Date(Date.UTC(2024, 4, day, 12)).toISOString(),
              tool: `t${t}`,
              user,
              costUsd: t === 0 ? 0.002 : 0.001,
            }),
          );
    await ledger.flush();
  });
  afterEach(async () => {
    await ledger.close();
    await cleanup();
  });

  it('reads one row per group: all of it for no grouping, one per user, costliest tool first', async () => {
    rowsRead = 0;
    const all = await ledger.usage({ by: [] });
    expect(all.map((r) => [r.requests, r.costUsd])).toEqual([[24, 0.03]]);
    expect(rowsRead).toBe(1);

    rowsRead = 0;
    const byUser = await ledger.usage({ by: ['user'] });
    expect(byUser.map((r) => [r.user, r.requests])).toEqual([
      ['u1', 12],
      ['u2', 12],
    ]);
    expect(rowsRead).toBe(2);

    const byTool = await ledger.usage({ by: ['tool'], since: '2024-05-02' });
    // Ties (t1–t3: same cost and count) in the order of their keys, as before.
    expect(byTool.map((r) => [r.tool, r.costUsd])).toEqual([
      ['t0', 0.008],
      ['t1', 0.004],
      ['t2', 0.004],
      ['t3', 0.004],
    ]);
  });

  it('turns a large grouping into rows a slice per event-loop turn, not 1,000 at once', async () => {
    // 1,200 groups (10 days × 10 tools × 12 users, one record each): more than one old slice.
    let n = 0;
    for (let day = 10; day < 20; day++)
      for (let t = 0; t < 10; t++)
        for (let u = 0; u < 12; u++)
          ledger.append(
            record({
              id: `g${n++}`,
              time: new Date(Date.UTC(2024, 4, day, 12)).toISOString(),
              tool: `tool${t}`,
              user: `user${u}`,
            }),
          );
    await ledger.flush();
    // Once per turn of the loop (a setImmediate re-armed from itself runs once per iteration), the
    // rows read since the last one: what a request arriving meanwhile would have waited behind.
    let most = 0;
    let ticking = true;
    const tick = () => {
      most = Math.max(most, readThisTurn.size);
      readThisTurn.clear();
      if (ticking) setImmediate(tick);
    };
    watch = true;
    setImmediate(tick);
    try {
      const rows = await ledger.usage({ by: ['day', 'tool', 'user'], since: '2024-05-10' });
      expect(rows).toHaveLength(1200);
    } finally {
      ticking = false;
      watch = false;
    }
    tick();
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(200);
  });
});
