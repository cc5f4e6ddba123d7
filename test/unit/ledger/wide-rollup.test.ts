// The wide roll-up (migration 0005): usage by any mix of tool, model, day, user, project and client
// comes from a table kept for ever, so it survives retention; an upgraded data dir gets it built
// from its detail, and the days retention had already pruned keep their narrow roll-ups.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { LedgerRecord, UsageGroup } from '../../../shared/ledger.js';
import type { Ledger } from '../../../main/core/ledger/index.js';
import { migrate } from '../../../main/core/store/migrations.js';
import { toRow } from '../../../main/core/store/record-row.js';
import { insertRequests, upsertRollups } from '../../../main/core/store/statements.js';
import type { LedgerSchema, RollupTable } from '../../../main/core/store/schema.js';
import { narrowDeltas } from '../../../main/core/ledger/write-queue.js';
import { bareDatabase, describeEngines, opener, record, tempDir } from './helpers.js';

const DAY_MS = 86_400_000;
/** Rows in one order whatever order their keys were written in. */
const canonical = (o: object) => JSON.stringify(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
const USERS = ['ann', 'bo', undefined];
const PROJECTS = ['web', undefined];
const MODELS = ['gpt-4o-mini', 'gpt-4o', 'mystery'];
const CLIENTS = ['claude-cli/2.1.0', undefined];

/** 60 records over days `first`…`first + 2` (UTC), every mix of user, project, model and client. */
function records(first: string, prefix: string): LedgerRecord[] {
  const start = Date.parse(`${first}T01:00:00.000Z`);
  return Array.from({ length: 60 }, (_, i) => {
    const model = MODELS[i % 3]!;
    const user = USERS[i % 3];
    const project = PROJECTS[i % 2];
    const client = CLIENTS[Math.floor(i / 6) % 2];
    return record({
      id: `${prefix}${i}`,
      time: new Date(start + Math.floor(i / 20) * DAY_MS + i * 60_000).toISOString(),
      tool: i % 4 === 0 ? 'claude-code' : 'aider',
      model,
      // Unpriced for the unknown model; else a price with ten decimals, so sums must be exact.
      costUsd: model === 'mystery' ? null : (i + 1) * 0.0000123457,
      usage: {
        inputTokens: 100 + i,
        cachedInputTokens: i,
        cacheWriteTokens: 0,
        outputTokens: 10 * i,
        reasoningTokens: 0,
      },
      ...(user ? { user } : {}),
      ...(project ? { project } : {}),
      ...(client ? { client } : {}),
    });
  });
}

/** The expected usage rows, summed by hand in integers of 1e-10 USD (the records' own prices). */
function byHand(rs: LedgerRecord[], by: UsageGroup[]) {
  const groups = new Map<
    string,
    { keys: Record<string, string>; requests: number; input: number; e10: number; unpriced: number }
  >();
  for (const r of rs) {
    const keys: Record<string, string> = {};
    const day = r.time.slice(0, 10);
    for (const g of by) {
      const v = g === 'day' ? day : (r as unknown as Record<string, string | undefined>)[g];
      if (v !== undefined) keys[g] = v;
    }
    const id = JSON.stringify(by.map((g) => keys[g] ?? null));
    const s = groups.get(id) ?? { keys, requests: 0, input: 0, e10: 0, unpriced: 0 };
    s.requests += 1;
    s.input += r.usage.inputTokens;
    if (r.costUsd === null) s.unpriced += 1;
    else s.e10 += Math.round(r.costUsd * 1e10);
    groups.set(id, s);
  }
  return [...groups.values()]
    .map((s) => ({
      ...s.keys,
      requests: s.requests,
      inputTokens: s.input,
      costUsd: s.e10 / 1e10,
      unpriced: s.unpriced,
    }))
    .sort((a, b) => canonical(a).localeCompare(canonical(b)));
}

function picked(rows: Awaited<ReturnType<Ledger['usage']>>) {
  return rows
    .map(({ requests, inputTokens, costUsd, unpriced, tool, model, day, user, project, client }) => ({
      ...(tool !== undefined ? { tool } : {}),
      ...(model !== undefined ? { model } : {}),
      ...(day !== undefined ? { day } : {}),
      ...(user !== undefined ? { user } : {}),
      ...(project !== undefined ? { project } : {}),
      ...(client !== undefined ? { client } : {}),
      requests,
      inputTokens,
      costUsd,
      unpriced,
    }))
    .sort((a, b) => canonical(a).localeCompare(canonical(b)));
}

const MIXES: UsageGroup[][] = [
  ['user', 'model'],
  ['user', 'project', 'model'],
  ['day', 'tool', 'user'],
  ['client', 'model'],
  ['project', 'client'],
  ['user'],
  ['tool'],
];

describeEngines('the wide roll-up', (kind) => {
  const open = opener(kind);
  let dir: string;
  let cleanup: () => Promise<void>;
  const opened: Ledger[] = [];
  const track = async (p: Promise<Ledger>) => {
    const l = await p;
    opened.push(l);
    return l;
  };
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((l) => l.close()));
    await cleanup();
  });

  it('answers usage by user × model (and every mix) as the by-hand sums, still after retention dropped the detail', async () => {
    const all = records('2024-05-01', 'w');
    let l = await track(open(dir, { now: () => new Date('2024-05-04T00:00:00Z') }));
    for (const r of all) l.append(r);
    await l.flush();
    for (const by of MIXES) expect(picked(await l.usage({ by })), by.join('×')).toEqual(byHand(all, by));
    const since = all.filter((r) => r.time >= '2024-05-02');
    expect(picked(await l.usage({ by: ['user', 'model'], since: '2024-05-02' }))).toEqual(
      byHand(since, ['user', 'model']),
    );
    await l.close();

    // 40 days on, a 30-day retention: the detail goes, the roll-ups stay.
    l = await track(open(dir, { now: () => new Date('2024-06-15T00:00:00Z'), retentionDays: () => 30 }));
    await l.prune();
    expect((await l.query({})).records).toEqual([]);
    for (const by of MIXES) expect(picked(await l.usage({ by })), by.join('×')).toEqual(byHand(all, by));
  });

  it('builds the roll-up when it upgrades a data dir, keeping the days retention had pruned, totals to the cent', async () => {
    // A data dir of schema 0004: days 1–3 (detail pruned, narrow roll-ups only), days 4–6 in full.
    const pruned = records('2024-05-01', 'p');
    const kept = records('2024-05-04', 'k');
    const old = (await bareDatabase(kind, dir)) as Kysely<LedgerSchema>;
    await migrate(old as Kysely<unknown>, kind, '0004-config-document');
    const rows = (rs: LedgerRecord[]) => rs.map((r) => toRow(r, r.time.slice(0, 10)));
    await insertRequests(old, rows(kept)).execute();
    const deltas = narrowDeltas([...rows(pruned), ...rows(kept)]);
    for (const table of ['rollup_model', 'rollup_user', 'rollup_project'] as RollupTable[])
      await upsertRollups(
        old,
        table,
        deltas.filter((d) => d.table === table),
      ).execute();
    await old.destroy();

    let l = await track(open(dir, { now: () => new Date('2024-05-07T00:00:00Z') }));
    const all = [...pruned, ...kept];
    const cents = (rs: LedgerRecord[]) =>
      rs.reduce((n, r) => n + Math.round((r.costUsd ?? 0) * 1e10), 0) / 1e10;
    expect(l.totals({})).toMatchObject({ requests: 120, costUsd: cents(all), unpriced: 40 });
    // One dimension: every day (the pruned ones from their narrow roll-ups).
    for (const by of [['user'], ['project'], ['tool', 'model'], ['day']] as UsageGroup[][])
      expect(picked(await l.usage({ by })), by.join('×')).toEqual(byHand(all, by));
    // Any mix, for the days whose detail was there to build it from.
    for (const by of MIXES)
      expect(picked(await l.usage({ by, since: '2024-05-04' })), by.join('×')).toEqual(byHand(kept, by));
    await l.close();

    // And once retention drops the rest of the detail, nothing of it is lost.
    l = await track(open(dir, { now: () => new Date('2024-07-01T00:00:00Z'), retentionDays: () => 30 }));
    await l.prune();
    expect((await l.query({})).records).toEqual([]);
    expect(l.totals({})).toMatchObject({ requests: 120, costUsd: cents(all), unpriced: 40 });
    for (const by of MIXES)
      expect(picked(await l.usage({ by, since: '2024-05-04' })), by.join('×')).toEqual(byHand(kept, by));
    for (const by of [['user'], ['project'], ['tool', 'model']] as UsageGroup[][])
      expect(picked(await l.usage({ by })), by.join('×')).toEqual(byHand(all, by));
  });

  it('sums plan traffic per provider since a time (the plans view), priced and unpriced apart', async () => {
    const l = await track(open(dir));
    const plan = (id: string, time: string, provider: string, api: number | null) =>
      record({ id, time, provider, costUsd: 0, plan: true, apiEquivalentUsd: api });
    l.append(plan('old', '2024-05-01T00:00:00.000Z', 'anthropic', 5)); // before the week
    l.append(plan('a1', '2024-05-08T00:00:00.000Z', 'anthropic', 0.0123456789));
    l.append(plan('a2', '2024-05-09T00:00:00.000Z', 'anthropic', 1.1));
    l.append(plan('a3', '2024-05-09T01:00:00.000Z', 'anthropic', null));
    l.append(plan('o1', '2024-05-10T00:00:00.000Z', 'openai', 0.3));
    l.append(record({ id: 'api', time: '2024-05-10T00:00:00.000Z', provider: 'openai', costUsd: 7 })); // not plan
    const rows = await l.planTraffic(new Date('2024-05-07T00:00:00.000Z'));
    expect(rows.sort((a, b) => a.provider.localeCompare(b.provider))).toEqual([
      // 0.0123456789 + 1.1, by hand
      { provider: 'anthropic', requests: 3, apiEquivalentUsd: 1.1123456789, unpriced: 1 },
      { provider: 'openai', requests: 1, apiEquivalentUsd: 0.3, unpriced: 0 },
    ]);
  });
});
