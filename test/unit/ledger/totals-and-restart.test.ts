import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ledger } from '../../../main/core/ledger/index.js';
import { describeEngines, opener, record, tempDir } from './helpers.js';

describeEngines('ledger totals and restart', (kind) => {
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

  describe('totals', async () => {
    it('sums cost, tokens, unpriced and saved per tool, day and month, visible before any flush', async () => {
      const l = await track(open(dir));
      l.append(record({ id: 'a', time: '2024-05-01T10:00:00.000Z' }));
      l.append(record({ id: 'b', time: '2024-05-01T11:00:00.000Z', model: 'gpt-4o' }));
      l.append(record({ id: 'c', time: '2024-05-01T12:00:00.000Z', costUsd: null, model: 'mystery' }));
      l.append(
        record({
          id: 'd',
          time: '2024-05-02T09:00:00.000Z',
          tool: 'claude-code',
          costUsd: 0.1,
          savedUsd: 0.2,
          cacheHit: true,
        }),
      );
      l.append(record({ id: 'e', time: '2024-06-01T00:00:00.000Z', costUsd: 1 }));

      // Nothing flushed yet: budgets must see spend on the very next request.
      expect(l.totals({ day: '2024-05-01', tool: 'aider' })).toEqual({
        requests: 3,
        costUsd: 0.00087, // two priced × $0.000435; the null-cost one is unpriced, not $0
        unpriced: 1,
        inputTokens: 3000,
        outputTokens: 1500,
        savedUsd: 0,
      });
      expect(l.totals({ month: '2024-05' })).toEqual({
        requests: 4,
        costUsd: 0.10087,
        unpriced: 1,
        inputTokens: 4000,
        outputTokens: 2000,
        savedUsd: 0.2,
      });
      expect(l.totals({ month: '2024-05', tool: 'claude-code' }).costUsd).toBe(0.1);
      expect(l.totals({ day: '2024-05-03' }).requests).toBe(0);
      expect(l.totals({}).costUsd).toBe(1.10087);
    });

    it('adds many small costs without float drift', async () => {
      const l = await track(open(dir));
      for (let i = 0; i < 1000; i++)
        l.append(record({ id: `r${i}`, time: '2024-05-01T10:00:00.000Z', costUsd: 0.1 }));
      // Plain float addition gives 99.9999999999986 here.
      expect(l.totals({ day: '2024-05-01' }).costUsd).toBe(100);
    });

    it('counts a record at 23:30 local on that local day, not the UTC one', async () => {
      const l = await track(open(dir, { timeZone: () => 'America/New_York' }));
      // 04:30Z on 10 March is 23:30 EST on 9 March.
      l.append(record({ id: 'late', time: '2024-03-10T04:30:00.000Z' }));
      // Kolkata is UTC+5:30: 18:45Z on 31 January is 00:15 on 1 February there.
      expect(l.totals({ day: '2024-03-09' }).requests).toBe(1);
      expect(l.totals({ day: '2024-03-10' }).requests).toBe(0);

      const k = await track(open(join(dir, 'k'), { timeZone: () => 'Asia/Kolkata' }));
      k.append(record({ id: 'k1', time: '2024-01-31T18:45:00.000Z' }));
      k.append(record({ id: 'k2', time: '2024-01-31T18:29:59.999Z' }));
      expect(k.totals({ month: '2024-02' }).requests).toBe(1);
      expect(k.totals({ day: '2024-01-31' }).requests).toBe(1);
    });

    it('rejects a record whose time cannot be parsed, counting nothing', async () => {
      const l = await track(open(dir));
      expect(() => l.append(record({ id: 'x', time: 'yesterday' }))).toThrow(/invalid time/);
      expect(l.totals({}).requests).toBe(0);
    });
  });

  describe('durability', async () => {
    it('keeps totals and records across a clean restart', async () => {
      const a = await open(dir);
      a.append(record({ id: 'a', time: '2024-05-01T10:00:00.000Z' }));
      a.append(record({ id: 'b', time: '2024-05-02T10:00:00.000Z', costUsd: null }));
      await a.close();

      const b = await track(open(dir));
      expect(b.totals({ month: '2024-05' })).toMatchObject({ requests: 2, costUsd: 0.000435, unpriced: 1 });
      expect((await b.query({})).records.map((r) => r.id)).toEqual(['b', 'a']);
      expect(await b.get('a')).toEqual(record({ id: 'a', time: '2024-05-01T10:00:00.000Z' }));
    });

    it('keeps every flushed record of a ledger that was never closed (as if killed)', async () => {
      const a = await open(dir);
      for (let i = 0; i < 10; i++) a.append(record({ id: `a${i}`, time: '2024-05-01T10:00:00.000Z' }));
      await a.close();
      const b = await track(open(dir));
      for (let i = 0; i < 5; i++) b.append(record({ id: `b${i}`, time: '2024-05-01T11:00:00.000Z' }));
      await b.flush(); // committed, never closed

      const c = await track(open(dir));
      expect(c.totals({ day: '2024-05-01' })).toMatchObject({ requests: 15, costUsd: 0.006525 });
      expect((await c.query({ limit: 1 })).records[0]?.id).toBe('b4');
    });

    it('keeps fields it has no column for (optional usage dimensions, newer fields)', async () => {
      const l = await track(open(dir));
      const r = record({
        id: 'x',
        time: '2024-05-01T10:00:00Z', // not toISOString()'s form: kept verbatim
        usage: {
          inputTokens: 10,
          cachedInputTokens: 0,
          cacheWriteTokens: 4,
          outputTokens: 5,
          reasoningTokens: 0,
          cacheWrite1hTokens: 4,
          serviceTier: 'priority',
        },
        failovers: ['anthropic'],
        keyLabel: 'work',
        savedUsd: 0.5,
      });
      const future = { ...r, session: 's-1', client: 'claude-code/2.0' } as typeof r;
      l.append(future);
      expect(await l.get('x')).toEqual(future);
    });
  });
});
