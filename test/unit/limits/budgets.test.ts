import { describe, expect, it } from 'vitest';
import type { Refusal, Reservation } from '../../../main/core/limits/index.js';
import { harness, makeTool } from './fixtures.js';

const req = (worstCaseUsd: number | null, estimatedTokens = 100) => ({
  model: 'gpt-4o-mini',
  estimatedTokens,
  worstCaseUsd,
});

function admitted(r: { ok: true; reservation: Reservation } | { ok: false; refusal: Refusal }): Reservation {
  if (!r.ok) throw new Error(`expected admission, got: ${r.refusal.message}`);
  return r.reservation;
}
function refused(r: { ok: true; reservation: Reservation } | { ok: false; refusal: Refusal }): Refusal {
  if (r.ok) throw new Error('expected a refusal');
  return r.refusal;
}

describe('USD budgets', () => {
  it('lets exactly one of 50 concurrent requests through when there is room for one', async () => {
    const h = harness();
    const tool = makeTool('cursor', { dailyUsd: 1 });
    h.spend.add('cursor', '2026-11-25', 0.7);
    // Room: 1.00 - 0.70 = 0.30; each request may cost 0.25, so a second one would reach 1.20.
    const results = await Promise.all(
      Array.from({ length: 50 }, async () => h.limiter.admit(tool, req(0.25))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refusals = results.filter((r) => !r.ok).map(refused);
    expect(refusals).toHaveLength(49);
    const first = refusals[0];
    expect(first).toMatchObject({
      kind: 'budget',
      scope: { tool: 'cursor', period: 'day' },
      limitUsd: 1,
      spentUsd: 0.7,
    });
    if (first?.kind !== 'budget') throw new Error('unreachable');
    expect(first.resetsAt.toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(first.message).toContain('"cursor"');
    expect(first.message).toContain('daily budget of $1.00');
    expect(first.message).toContain('$0.7000 spent today');
    expect(first.message).toContain('$0.2500 reserved');
    expect(first.message).toContain('2026-11-26T00:00:00.000+00:00');
    expect(h.limiter.budgetState(tool).day).toEqual({ limitUsd: 1, spentUsd: 0.7, reservedUsd: 0.25 });
    // 49 refusals in the same minute: one alert.blocked.
    expect(h.events.map((e) => e.type)).toEqual(['alert.blocked']);
  });

  it('admits a request that reaches the limit exactly, without float drift', () => {
    const h = harness();
    const tool = makeTool('a', { dailyUsd: 0.3 });
    h.spend.add('a', '2026-11-25', 0.1);
    // 0.1 + 0.2 is 0.30000000000000004 in floats: must still count as exactly $0.30.
    admitted(h.limiter.admit(tool, req(0.2)));
    expect(refused(h.limiter.admit(tool, req(0.0000000001))).kind).toBe('budget');
    expect(h.limiter.budgetState(tool).day).toEqual({ limitUsd: 0.3, spentUsd: 0.1, reservedUsd: 0.2 });
  });

  it('settle replaces the worst case with the actual cost, freeing the rest', () => {
    const h = harness();
    const tool = makeTool('a', { dailyUsd: 1 });
    const r = admitted(h.limiter.admit(tool, req(0.5)));
    expect(refused(h.limiter.admit(tool, req(0.6))).kind).toBe('budget');
    h.spend.add('a', '2026-11-25', 0.1); // ledger.append, then settle
    r.settle({ costUsd: 0.1, tokens: 80 });
    expect(h.limiter.budgetState(tool).day).toEqual({ limitUsd: 1, spentUsd: 0.1, reservedUsd: 0 });
    admitted(h.limiter.admit(tool, req(0.6)));
    expect(h.limiter.budgetState(tool).day?.reservedUsd).toBe(0.6);
    r.settle({ costUsd: 0.1, tokens: 80 }); // a second settle must not drop someone else's hold
    expect(h.limiter.budgetState(tool).day?.reservedUsd).toBe(0.6);
  });

  it('release drops the reservation', () => {
    const h = harness();
    const tool = makeTool('a', { monthlyUsd: 2 });
    const r = admitted(h.limiter.admit(tool, req(1.5)));
    expect(h.limiter.budgetState(tool)).toEqual({ month: { limitUsd: 2, spentUsd: 0, reservedUsd: 1.5 } });
    r.release();
    expect(h.limiter.budgetState(tool).month?.reservedUsd).toBe(0);
    admitted(h.limiter.admit(tool, req(2)));
  });

  it('admits unpriced requests until spend alone reaches the limit', () => {
    const h = harness();
    const tool = makeTool('a', { dailyUsd: 1 });
    h.spend.add('a', '2026-11-25', 0.5);
    admitted(h.limiter.admit(tool, req(0.5))); // budget now fully reserved
    admitted(h.limiter.admit(tool, req(null))); // unpriced still goes
    h.spend.add('a', '2026-11-25', 0.5);
    const refusal = refused(h.limiter.admit(tool, req(null)));
    expect(refusal).toMatchObject({ kind: 'budget', spentUsd: 1, limitUsd: 1 });
    expect(refusal.message).toContain('$1.00 spent today');
    // Spend alone at the limit also refuses a free (0 USD) priced request.
    expect(refused(h.limiter.admit(tool, req(0))).kind).toBe('budget');
  });

  it('check() turns "over" exactly when the running cost passes the budget', () => {
    const h = harness();
    const tool = makeTool('a', { dailyUsd: 1 });
    h.spend.add('a', '2026-11-25', 0.4);
    admitted(h.limiter.admit(tool, req(0.2))); // another request in flight
    const r = admitted(h.limiter.admit(tool, req(0.3)));
    expect(r.check(0.3)).toBe('ok');
    // 0.4 spent + 0.2 other + 0.4 running = 1.00: at the limit, not past it.
    expect(r.check(0.4)).toBe('ok');
    expect(r.check(0.4000000001)).toBe('over');
    // A lowered limit applies mid-stream (the settings/tool are read on every call).
    h.settings = { ...h.settings, globalDailyUsd: 0.8 };
    expect(r.check(0.2)).toBe('ok');
    expect(r.check(0.2000000001)).toBe('over');
  });

  it('enforces the global budget across tools, counting every tool reservation', () => {
    const h = harness({ globalDailyUsd: 2 });
    const a = makeTool('a');
    const b = makeTool('b', { dailyUsd: 10 });
    h.spend.add('a', '2026-11-25', 1.2);
    h.spend.add('b', '2026-11-25', 0.5);
    const refusal = refused(h.limiter.admit(b, req(0.4)));
    expect(refusal).toMatchObject({
      kind: 'budget',
      scope: { tool: null, period: 'day' },
      limitUsd: 2,
      spentUsd: 1.7,
    });
    expect(refusal.message).toContain('Tool "b"');
    expect(refusal.message).toContain('global daily budget of $2.00 (all tools)');
    admitted(h.limiter.admit(b, req(0.3)));
    expect(refused(h.limiter.admit(a, req(0.01))).kind).toBe('budget');
    expect(h.limiter.budgetState(null)).toEqual({ day: { limitUsd: 2, spentUsd: 1.7, reservedUsd: 0.3 } });
    expect(h.limiter.budgetState(a)).toEqual({});
  });

  it('reports the monthly budget when both day and month are spent', () => {
    const h = harness();
    const tool = makeTool('a', { dailyUsd: 1, monthlyUsd: 5 });
    h.spend.add('a', '2026-11-03', 4.5);
    h.spend.add('a', '2026-11-25', 0.9);
    const refusal = refused(h.limiter.admit(tool, req(0.2)));
    expect(refusal).toMatchObject({ kind: 'budget', scope: { tool: 'a', period: 'month' }, spentUsd: 5.4 });
    if (refusal.kind !== 'budget') throw new Error('unreachable');
    expect(refusal.resetsAt.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(refusal.message).toContain('monthly budget of $5.00');
  });

  it('applies a changed limit to the next request', () => {
    const h = harness();
    h.spend.add('a', '2026-11-25', 1);
    expect(refused(h.limiter.admit(makeTool('a', { dailyUsd: 1 }), req(0.1))).kind).toBe('budget');
    admitted(h.limiter.admit(makeTool('a', { dailyUsd: 1.1 }), req(0.1)));
  });

  it('uses the local month of the configured time zone', () => {
    // 03:00 UTC on Dec 1 is still 22:00 on Nov 30 in New York (EST, UTC-5).
    const h = harness({ timeZone: 'America/New_York' }, '2026-12-01T03:00:00.000Z');
    const tool = makeTool('a', { monthlyUsd: 10 });
    h.spend.add('a', '2026-11-12', 9.9);
    const refusal = refused(h.limiter.admit(tool, req(0.2)));
    if (refusal.kind !== 'budget') throw new Error('expected a budget refusal');
    expect(refusal.resetsAt.toISOString()).toBe('2026-12-01T05:00:00.000Z');
    expect(refusal.message).toContain('resets at 2026-12-01T00:00:00.000-05:00');
    h.clock.ms = Date.parse('2026-12-01T05:00:00.000Z'); // local midnight: a new month
    admitted(h.limiter.admit(tool, req(0.2)));
    expect(h.limiter.budgetState(tool).month).toEqual({ limitUsd: 10, spentUsd: 0, reservedUsd: 0.2 });
    // The same instant in UTC is already December.
    const utc = harness({ timeZone: 'UTC' }, '2026-12-01T03:00:00.000Z');
    utc.spend.add('a', '2026-11-12', 9.9);
    admitted(utc.limiter.admit(tool, req(0.2)));
  });

  it('a reservation counts in the period its request arrived in', () => {
    const h = harness({}, '2026-11-25T23:59:59.000Z');
    const tool = makeTool('a', { dailyUsd: 1 });
    admitted(h.limiter.admit(tool, req(0.8)));
    h.clock.ms = Date.parse('2026-11-26T00:00:01.000Z');
    expect(h.limiter.budgetState(tool).day).toEqual({ limitUsd: 1, spentUsd: 0, reservedUsd: 0 });
    admitted(h.limiter.admit(tool, req(0.8)));
  });

  it('emits alert.blocked for budget refusals at most once a minute per tool', () => {
    const h = harness();
    const tool = makeTool('a', { dailyUsd: 1 });
    h.spend.add('a', '2026-11-25', 1);
    h.limiter.admit(tool, req(0.1));
    h.limiter.admit(tool, req(0.1));
    h.clock.ms += 59_999;
    h.limiter.admit(tool, req(0.1));
    expect(h.events).toHaveLength(1);
    expect(h.events[0]).toMatchObject({
      type: 'alert.blocked',
      tool: 'a',
      reason: 'budget',
      time: '2026-11-25T12:00:00.000Z',
    });
    h.limiter.admit(makeTool('b', { dailyUsd: 0.5 }), req(0.6));
    h.clock.ms += 1;
    h.limiter.admit(tool, req(0.1));
    expect(h.events.map((e) => (e.type === 'alert.blocked' ? e.tool : e.type))).toEqual(['a', 'b', 'a']);
  });
});
