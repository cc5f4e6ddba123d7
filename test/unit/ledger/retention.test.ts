import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEngines, opener, record, tempDir } from './helpers.js';

describeEngines('ledger retention', (kind) => {
  const open = opener(kind);

  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(() => cleanup());

  const now = () => new Date('2024-05-31T12:00:00.000Z');

  it('drops detail older than retentionDays but keeps roll-ups, across a restart', async () => {
    const l = await open(dir, { now, retentionDays: () => 7 });
    // Cutoff is 24 May 12:00Z, rounded down to whole UTC days as the day files were: 23 May goes, 24 May stays.
    l.append(record({ id: 'old', time: '2024-05-01T10:00:00.000Z', costUsd: 1, user: 'u1' }));
    l.append(record({ id: 'edge', time: '2024-05-23T23:59:59.999Z', costUsd: 2, user: 'u1' }));
    l.append(record({ id: 'kept', time: '2024-05-24T00:00:00.000Z', costUsd: 4, user: 'u1' }));
    l.append(record({ id: 'new', time: '2024-05-30T10:00:00.000Z', costUsd: 8, user: 'u2' }));
    await l.prune();

    expect((await l.query({})).records.map((r) => r.id)).toEqual(['new', 'kept']);
    expect(await l.get('old')).toBeUndefined();
    expect(l.totals({ month: '2024-05' })).toMatchObject({ requests: 4, costUsd: 15 });
    expect((await l.usage({ by: ['day'] })).map((r) => [r.day, r.costUsd])).toEqual([
      ['2024-05-30', 8],
      ['2024-05-24', 4],
      ['2024-05-23', 2],
      ['2024-05-01', 1],
    ]);
    // Per-user (and per-project) roll-ups are kept for ever too, like per-model ones.
    expect((await l.usage({ by: ['user'] })).map((r) => [r.user, r.costUsd])).toEqual([
      ['u2', 8],
      ['u1', 7],
    ]);
    await l.close();

    const again = await open(dir, { now, retentionDays: () => 7 });
    expect(again.totals({ month: '2024-05' })).toMatchObject({ requests: 4, costUsd: 15 });
    expect(again.totals({ day: '2024-05-01' }).costUsd).toBe(1);
    expect((await again.query({})).records.map((r) => r.id)).toEqual(['new', 'kept']);

    // A late record for a pruned day re-creates its file and is counted once, even after a restart.
    again.append(record({ id: 'late', time: '2024-05-01T11:00:00.000Z', costUsd: 16 }));
    await again.flush();
    const third = await open(dir, { now, retentionDays: () => 7 });
    expect(third.totals({ day: '2024-05-01' })).toMatchObject({ requests: 2, costUsd: 17 });
    await third.close();
    await again.close();
  });

  it('keeps everything when nothing is old enough', async () => {
    const l = await open(dir, { now, retentionDays: () => 30 });
    l.append(record({ id: 'a', time: '2024-05-02T10:00:00.000Z' }));
    await l.prune();
    expect((await l.query({})).records).toHaveLength(1);
    await l.close();
  });
});
