// The overview reads totals() 20 times a refresh, and budgets read it on the proxy's thread: it
// must sum the roll-ups without leaving young garbage behind (issue 15: the overview's ~250 kB a
// refresh was what brought the scavenge that made its longest block, 10.2 ms at 1M records).
import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { Rollups } from '../../../main/core/ledger/rollups.js';
import { record } from './helpers.js';

const DAYS = Array.from({ length: 30 }, (_, i) => `2024-05-${String(i + 1).padStart(2, '0')}`);
const TOOLS = Array.from({ length: 10 }, (_, i) => `tool-${i}`);
const MODELS = Array.from({ length: 8 }, (_, i) => `model-${i}`);

/** A month of traffic as the ledger bench has it: 30 days × 10 tools × 8 models, one record each. */
function month(): Rollups {
  const r = new Rollups();
  for (const day of DAYS)
    for (const tool of TOOLS)
      for (const model of MODELS)
        r.add(
          day,
          record({
            id: `${day}-${tool}-${model}`,
            time: `${day}T10:00:00.000Z`,
            tool,
            model,
            costUsd: 0.001,
          }),
        );
  return r;
}

const youngBytes = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;

describe('roll-up totals', () => {
  it("sums an overview's 20 totals with under 64 kB of young garbage", () => {
    const r = month();
    // What it sums, unchanged: 8 models a tool a day, each one record at $0.001 (by hand).
    expect(r.totals({ day: '2024-05-03', tool: 'tool-2' })).toMatchObject({ requests: 8, costUsd: 0.008 });
    expect(r.totals({ day: '2024-05-03' })).toMatchObject({ requests: 80, costUsd: 0.08 });
    expect(r.totals({ month: '2024-05', tool: 'tool-2' })).toMatchObject({ requests: 240, costUsd: 0.24 });
    expect(r.totals({ month: '2024-05' })).toMatchObject({ requests: 2400, costUsd: 2.4 });
    expect(r.totals({ month: '2024-06' })).toMatchObject({ requests: 0, costUsd: 0 });
    expect(r.totals({ month: '2024-0' })).toMatchObject({ requests: 0 });
    expect(r.totals({ day: '2024-05-03', month: '2024-06' })).toMatchObject({ requests: 0 });
    expect(r.totals({})).toMatchObject({ requests: 2400 });
    const overview = () => {
      for (const tool of TOOLS) {
        r.totals({ day: '2024-05-30', tool });
        r.totals({ month: '2024-05', tool });
      }
    };
    for (let i = 0; i < 300; i++) overview(); // optimized, as in a serving process
    // A scavenge in the middle of one makes its difference negative: the median of several.
    const grown: number[] = [];
    for (let i = 0; i < 9; i++) {
      const before = youngBytes();
      overview();
      grown.push(youngBytes() - before);
    }
    grown.sort((a, b) => a - b);
    // Was ~250 kB (an entry array per day and tool, a sliced day string per day, each call).
    expect(grown[4]).toBeLessThan(64 * 1024);
  });
});
