// Usage groupings of many rows (a 30-day day × tool × user is 15,000) are grouped in slices that
// give the event loop a turn between them, with the same answer as grouping all at once.
import { describe, expect, it } from 'vitest';
import { emptyBucket, groupRows, groupRowsSliced, type Bucket } from '../../../main/core/ledger/rollups.js';

const bucket = (requests: number, costUsd: number): Bucket => ({ ...emptyBucket(), requests, costUsd });

describe('groupRowsSliced', () => {
  it('groups like groupRows while the event loop keeps turning', async () => {
    // 5,000 rows over 1,000 users × 5 days; grouped by user: 1,000 groups of 5 rows.
    const rows = Array.from({ length: 5000 }, (_, i) => ({ user: `u${i % 1000}`, day: `d${i % 5}`, n: i }));
    const toItem = (r: (typeof rows)[number]) =>
      [{ user: r.user, day: r.day }, bucket(1, (r.n % 7) * 0.5)] as [Record<string, string>, Bucket];
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const sliced = await groupRowsSliced(rows, toItem, ['user']);
    ticking = false;
    expect(sliced).toEqual(groupRows(rows.map(toItem), ['user']));
    expect(sliced).toHaveLength(1000);
    expect(turns).toBeGreaterThanOrEqual(4);
  });
});
