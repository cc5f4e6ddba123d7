import { describe, expect, it } from 'vitest';
import { spendSeries } from './spend-series.js';

describe('spendSeries', () => {
  it('pivots rows into one point per day, zero-filling gaps, biggest series first', () => {
    const s = spendSeries({
      days: ['2026-11-23', '2026-11-24', '2026-11-25'],
      rows: [
        { day: '2026-11-23', key: 'cli', costUsd: 0.1 },
        { day: '2026-11-25', key: 'cli', costUsd: 0.2 },
        { day: '2026-11-25', key: 'day', costUsd: 0.5 }, // a tool named "day" must not clobber the x key
      ],
    });
    expect(s.keys).toEqual(['day', 'cli']);
    expect(s.data).toEqual([
      { day: '2026-11-23', values: { day: 0, cli: 0.1 } },
      { day: '2026-11-24', values: { day: 0, cli: 0 } },
      { day: '2026-11-25', values: { day: 0.5, cli: 0.2 } },
    ]);
    expect(s.total).toBe(0.8); // 0.1 + 0.2 + 0.5 without float drift
  });

  it('has zero total for an empty window', () => {
    expect(spendSeries({ days: ['2026-11-25'], rows: [] }).total).toBe(0);
  });
});
