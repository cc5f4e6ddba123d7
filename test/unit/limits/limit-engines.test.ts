// The same limit cases against both engines beside each other — in memory and on a real Redis
// (Debian's redis-server on loopback) — plus what only a shared engine has: two replicas on one
// state, and Redis going away (refused, never let through).
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/config.js';
import type { BudgetAlertEvent, ShimmyEvent } from '../../../shared/events.js';
import {
  createLimiter,
  LimitsUnavailableError,
  openLimiter,
  type Admission,
  type AdmitRequest,
  type Limiter,
  type Refusal,
  type Reservation,
} from '../../../main/core/limits/index.js';
import type { ScopeUse } from '../../../main/core/limits/budgets.js';
import { limitKeys } from '../../../main/core/limits/redis/redis-keys.js';
import { createRedisLimiter } from '../../../main/core/limits/redis/redis-limiter.js';
import { createSharedAlerts } from '../../../main/core/limits/redis/shared-alerts.js';
import { redisMissing, startRedis, type TestRedis } from '../../support/redis.js';
import { MapSpend, makeTool } from './fixtures.js';

const req = (worstCaseUsd: number | null, estimatedTokens = 100): AdmitRequest => ({
  model: 'gpt-4o-mini',
  estimatedTokens,
  worstCaseUsd,
});
const admitted = (r: Admission): Reservation => {
  if (!r.ok) throw new Error(`expected admission, got: ${r.refusal.message}`);
  return r.reservation;
};
const refused = (r: Admission): Refusal => {
  if (r.ok) throw new Error('expected a refusal');
  return r.refusal;
};

interface Engine {
  spend: MapSpend;
  events: ShimmyEvent[];
  settings: Settings;
  clock: { ms: number };
  /** Replicas on one state (the memory engine has only one). */
  replicas: Limiter[];
  /** Waits until settles sent so far have landed (Redis answers one connection in order). */
  settled(): Promise<void>;
  /** Redis: a new replica on the same state, as after a restart (no fired-set seed). */
  restarted?: () => Limiter;
}

let redis: TestRedis | undefined;
const clients: Redis[] = [];

beforeAll(async () => {
  if (!redisMissing) redis = await startRedis();
}, 30_000);

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await redis?.stop();
});

function engine(kind: 'memory' | 'redis', settings: Partial<Settings> = {}): Engine {
  const base = {
    spend: new MapSpend(),
    events: [] as ShimmyEvent[],
    settings: { ...DEFAULT_SETTINGS, timeZone: 'UTC', ...settings },
    clock: { ms: Date.parse('2026-11-25T12:00:00.000Z') },
  };
  // Assigned below; the deps read it only when called.
  let e: Engine;
  const deps = {
    spend: base.spend,
    settings: () => e.settings,
    emit: (ev: ShimmyEvent) => e.events.push(ev),
    now: () => new Date(e.clock.ms),
  };
  if (kind === 'memory') {
    e = { ...base, replicas: [], settled: async () => undefined };
    e.replicas.push(createLimiter(deps));
    return e;
  }
  // Each test its own key prefix: tests never see each other's state.
  const prefix = `t${randomBytes(4).toString('hex')}:`;
  const conns = [0, 1].map(
    () => new Redis(redis!.url, { enableOfflineQueue: true, maxRetriesPerRequest: 1 }),
  );
  clients.push(...conns);
  e = {
    ...base,
    replicas: conns.map((c) => createRedisLimiter({ ...deps, redis: c, prefix, where: redis!.url })),
    settled: async () => {
      await Promise.all(conns.map((c) => c.ping()));
    },
    restarted: () => {
      const c = new Redis(redis!.url, { enableOfflineQueue: true, maxRetriesPerRequest: 1 });
      clients.push(c);
      conns.push(c);
      return createRedisLimiter({ ...deps, redis: c, prefix, where: redis!.url });
    },
  };
  return e;
}

/** Polls `done` every 5 ms for at most `ms` (a claim lands a round-trip after its settle). */
async function until(done: () => boolean, ms = 2_000): Promise<void> {
  for (const end = Date.now() + ms; !done() && Date.now() < end;) await new Promise((r) => setTimeout(r, 5));
}

/** The budget alerts emitted so far, as [tool, threshold]. */
const alertsOf = (e: Engine) =>
  e.events
    .filter((ev): ev is BudgetAlertEvent => ev.type === 'alert.budget')
    .map((ev) => [ev.scope.tool, ev.threshold]);

/** One $`usd` request through `l`: admit, ledger append, settle — in that order, as the proxy does. */
async function spendVia(e: Engine, l: Limiter, tool: ReturnType<typeof makeTool>, usd: number) {
  const r = admitted(await l.admit(tool, req(usd)));
  e.spend.add(tool.name, '2026-11-25', usd);
  r.settle({ costUsd: usd, tokens: 1 });
  await e.settled();
}

const kinds = redisMissing ? (['memory'] as const) : (['memory', 'redis'] as const);

describe.each(kinds)('limit engine: %s', (kind) => {
  it('lets exactly one of 50 concurrent requests through a budget with room for one', async () => {
    const e = engine(kind);
    const tool = makeTool('cursor', { dailyUsd: 1 });
    e.spend.add('cursor', '2026-11-25', 0.7);
    // Room: 1.00 - 0.70 = 0.30; each may cost 0.25. Spread over the replicas (Redis: two).
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => e.replicas[i % e.replicas.length]!.admit(tool, req(0.25))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refusal = refused(results.find((r) => !r.ok)!);
    expect(refusal).toMatchObject({
      kind: 'budget',
      scope: { tool: 'cursor', period: 'day' },
      limitUsd: 1,
      spentUsd: 0.7,
    });
    expect(refusal.message).toContain('$0.2500 reserved');
    if (refusal.kind === 'budget') expect(refusal.resetsAt.toISOString()).toBe('2026-11-26T00:00:00.000Z');
  });

  it('settle replaces the worst case with the actual cost; release drops it', async () => {
    const e = engine(kind);
    const [a] = e.replicas as [Limiter];
    const tool = makeTool('a', { dailyUsd: 1 });
    const r = admitted(await a.admit(tool, req(0.5)));
    expect(refused(await a.admit(tool, req(0.6))).kind).toBe('budget');
    expect(await a.headroomUsd(tool)).toBe(0.5);
    e.spend.add('a', '2026-11-25', 0.1); // ledger.append, then settle
    r.settle({ costUsd: 0.1, tokens: 80 });
    await e.settled();
    expect(a.budgetState(tool).day).toEqual({ limitUsd: 1, spentUsd: 0.1, reservedUsd: 0 });
    expect(await a.headroomUsd(tool)).toBe(0.9);
    const r2 = admitted(await a.admit(tool, req(0.6)));
    r.settle({ costUsd: 0.1, tokens: 80 }); // a second settle must not drop someone else's hold
    await e.settled();
    expect(refused(await a.admit(tool, req(0.31))).kind).toBe('budget');
    r2.release();
    await e.settled();
    admitted(await a.admit(tool, req(0.9)));
  });

  it('admits unpriced requests until spend alone reaches the limit, and keeps the global budget', async () => {
    const e = engine(kind, { globalDailyUsd: 2 });
    const [l] = e.replicas as [Limiter];
    const a = makeTool('a', { dailyUsd: 1 });
    const b = makeTool('b');
    e.spend.add('a', '2026-11-25', 0.5);
    e.spend.add('b', '2026-11-25', 1.2);
    admitted(await l.admit(a, req(0.3))); // global now 1.7 spent + 0.3 reserved
    admitted(await l.admit(a, req(null))); // unpriced still goes
    const global = refused(await l.admit(b, req(0.01)));
    expect(global).toMatchObject({
      kind: 'budget',
      scope: { tool: null, period: 'day' },
      limitUsd: 2,
      spentUsd: 1.7,
    });
    expect(global.message).toContain('global daily budget of $2.00 (all tools)');
  });

  it('lets one unbounded request at a time through each budget, and an unpriced one as before', async () => {
    // Unbounded: priced, but nothing in the request bounds its cost (a whisper-1 transcription).
    // Before, it met only "spent < limit": all 20 went at once.
    const e = engine(kind, { globalDailyUsd: 5 });
    const tool = makeTool('t', { dailyUsd: 1 });
    const unbounded: AdmitRequest = { ...req(null), unbounded: true };
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => e.replicas[i % e.replicas.length]!.admit(tool, unbounded)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const busy = refused(results.find((r) => !r.ok)!);
    expect(busy).toMatchObject({ kind: 'budget', retryAfterMs: 2_000 });
    expect(busy.message).toContain('one at a time');
    // Another tool under the same global budget waits too; an unpriced request does not.
    expect(refused(await e.replicas[0]!.admit(makeTool('u'), unbounded)).kind).toBe('budget');
    admitted(await e.replicas[0]!.admit(tool, req(null)));
    // Settled, the next one goes.
    (results.find((r) => r.ok) as { reservation: Reservation }).reservation.settle({
      costUsd: 0.006,
      tokens: 0,
    });
    e.spend.add('t', '2026-11-25', 0.006);
    await e.settled();
    admitted(await e.replicas[0]!.admit(tool, unbounded)).release();
    await e.settled();
    // With no room left after the other reservations, it is refused as over the budget.
    admitted(await e.replicas[0]!.admit(tool, req(0.994)));
    const full = refused(await e.replicas[0]!.admit(tool, unbounded));
    expect(full).toMatchObject({ kind: 'budget', scope: { tool: 't' } });
    expect(full).not.toHaveProperty('retryAfterMs');
  });

  it('check() turns "over" when the running cost passes the budget', async () => {
    const e = engine(kind);
    const [l] = e.replicas as [Limiter];
    const tool = makeTool('a', { dailyUsd: 1 });
    e.spend.add('a', '2026-11-25', 0.4);
    admitted(await l.admit(tool, req(0.2)));
    const r = admitted(await l.admit(tool, req(0.3)));
    expect(r.check(0.4)).toBe('ok'); // 0.4 + 0.2 + 0.4 = 1.00: at the limit
    expect(r.check(0.4000000001)).toBe('over');
  });

  it('RPM: one per minute across every replica, free again when the minute has passed', async () => {
    const e = engine(kind);
    const tool = makeTool('r', { rpm: 1 });
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) =>
        e.replicas[i % e.replicas.length]!.admit(tool, req(null, 10)),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refusal = refused(results.find((r) => !r.ok)!);
    expect(refusal).toMatchObject({ kind: 'rate', metric: 'requests', limit: 1, retryAfterMs: 60_000 });
    if (refusal.kind === 'rate') expect(refusal.headers['retry-after']).toBe('60');
    e.clock.ms += 59_999;
    expect(refused(await e.replicas[0]!.admit(tool, req(null, 10))).kind).toBe('rate');
    e.clock.ms += 1;
    expect(admitted(await e.replicas[0]!.admit(tool, req(null, 10))).headers).toMatchObject({
      'x-ratelimit-limit-requests': '1',
      'x-ratelimit-remaining-requests': '0',
    });
  });

  it('sends each budget alert once, however many replicas settle past its threshold', async () => {
    const e = engine(kind);
    const tool = makeTool('alerted', { dailyUsd: 1 });
    // Ten $0.10 requests alternating over the replicas (Redis: two): after the 5th, every settle
    // on either replica sees 50% passed; the 8th passes 80%, the 10th 100%.
    for (let i = 0; i < 10; i++) await spendVia(e, e.replicas[i % e.replicas.length]!, tool, 0.1);
    await until(() => alertsOf(e).length >= 3);
    await e.settled();
    await new Promise((r) => setTimeout(r, 50));
    expect(alertsOf(e)).toEqual([
      ['alerted', 50],
      ['alerted', 80],
      ['alerted', 100],
    ]);
  });

  it('TPM: estimates count until settle replaces them with the actual tokens', async () => {
    const e = engine(kind);
    const [l] = e.replicas as [Limiter];
    const tool = makeTool('t', { tpm: 1000 });
    const r = admitted(await l.admit(tool, req(null, 800)));
    const refusal = refused(await l.admit(tool, req(null, 300)));
    expect(refusal).toMatchObject({ kind: 'rate', metric: 'tokens', limit: 1000, retryAfterMs: 60_000 });
    r.settle({ costUsd: null, tokens: 100 });
    await e.settled();
    admitted(await l.admit(tool, req(null, 300)));
    expect(refused(await l.admit(tool, req(null, 1001))).message).toContain(
      'more than its limit of 1000 tokens',
    );
  });
});

describe.skipIf(redisMissing !== undefined)('limit engine: redis only', () => {
  it("an unbounded request's hold lapses after its lease when its settle never lands", async () => {
    // A replica that died mid-request never settles: the next unbounded request waits out the
    // lease (2 × upstreamTimeoutMs: 2 × 1 s here), not the period.
    const e = engine('redis', { upstreamTimeoutMs: 1_000 });
    const tool = makeTool('t', { dailyUsd: 1 });
    const unbounded: AdmitRequest = { ...req(null), unbounded: true };
    admitted(await e.replicas[0]!.admit(tool, unbounded)); // never settled
    e.clock.ms += 1_999;
    expect(refused(await e.replicas[1]!.admit(tool, unbounded))).toMatchObject({ retryAfterMs: 2_000 });
    e.clock.ms += 1;
    admitted(await e.replicas[1]!.admit(tool, unbounded));
  });

  it('keeps spend in Redis, seeded once from the ledger, and lets the period key expire after the period', async () => {
    const e = engine('redis');
    const [a, b] = e.replicas as [Limiter, Limiter];
    const tool = makeTool('seed', { dailyUsd: 1 });
    e.spend.add('seed', '2026-11-25', 0.6); // this replica's ledger at start
    admitted(await a.admit(tool, req(0.1))).settle({ costUsd: 0.1, tokens: 1 });
    await e.settled();
    // Replica b's ledger never saw that request: Redis did, and b reads Redis.
    expect(await b.headroomUsd(tool)).toBe(0.3);
    expect(refused(await b.admit(tool, req(0.31)))).toMatchObject({ kind: 'budget', spentUsd: 0.7 });
    const probe = new Redis(redis!.url);
    clients.push(probe);
    const [key] = await probe.keys('*budget:seed:day:2026-11-25');
    // Kept until a day after the period ends: from 12:00 on the 25th, 12 h + 24 h.
    const ttl = await probe.pttl(key!);
    expect(ttl).toBeGreaterThan(36 * 3600_000 - 10_000);
    expect(ttl).toBeLessThanOrEqual(36 * 3600_000);
  });

  it('a budget key lost from Redis (flushed, restarted without persistence) is seeded again from the ledger', async () => {
    const e = engine('redis');
    const [a] = e.replicas as [Limiter];
    const tool = makeTool('lost', { dailyUsd: 1 });
    await spendVia(e, a, tool, 0.4); // the key now exists: later admits send no seed
    const probe = new Redis(redis!.url);
    clients.push(probe);
    const lost = await probe.keys('*budget:lost:*');
    expect(lost).toHaveLength(2); // day and month
    await probe.del(...lost);
    // The ledger holds $0.40: room for $0.60, not more.
    expect(refused(await a.admit(tool, req(0.61)))).toMatchObject({ kind: 'budget', spentUsd: 0.4 });
    admitted(await a.admit(tool, req(0.6)));
    expect(
      await probe.hget(
        lost.find((k) => k.includes(':day:'))!,
        'spent',
      ),
    ).toBe(String(0.4e10));
  });

  it('a restarted replica does not send the alerts of the current period again', async () => {
    const e = engine('redis');
    const tool = makeTool('restart', { dailyUsd: 1 });
    await spendVia(e, e.replicas[0]!, tool, 0.6);
    await until(() => alertsOf(e).length >= 1);
    const after = e.restarted!();
    await spendVia(e, after, tool, 0.1); // 70%: 50% was sent before the restart
    await spendVia(e, after, tool, 0.1); // 80%
    await until(() => alertsOf(e).length >= 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(alertsOf(e)).toEqual([
      ['restart', 50],
      ['restart', 80],
    ]);
  });

  it('an alert Redis could not claim is not sent, and is sent once on a later settle after Redis is back', async () => {
    const own = await startRedis();
    const conn = new Redis(own.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 100,
    });
    conn.on('error', () => undefined); // the outage below is the point
    clients.push(conn);
    const sent: BudgetAlertEvent[] = [];
    const logs: string[] = [];
    const alerts = createSharedAlerts({
      redis: conn,
      key: limitKeys('claims:').alert,
      send: (ev) => sent.push(ev),
      log: (m) => logs.push(m),
    });
    const use: ScopeUse = {
      scope: { tool: 't', period: 'day' },
      periodKey: '2026-11-25',
      limitUsd: 1,
      spentUsd: 0.5,
      reservedUsd: 0,
    };
    const at = new Date('2026-11-25T12:00:00.000Z');
    await until(() => conn.status === 'ready', 10_000);
    await own.kill();
    alerts.fire([use], at, 'UTC');
    await until(() => logs.length > 0);
    expect(logs[0]).toMatch(/could not claim the 50% budget alert in Redis/);
    expect(sent).toEqual([]);
    const back = await startRedis({ port: own.port });
    try {
      await until(() => conn.status === 'ready', 10_000);
      alerts.fire([use], at, 'UTC');
      alerts.fire([use], at, 'UTC');
      await conn.ping();
      expect(sent.map((ev) => ev.threshold)).toEqual([50]);
    } finally {
      conn.disconnect();
      await back.stop();
      await own.stop();
    }
  }, 30_000);

  it('refuses with LimitsUnavailableError, promptly, while Redis is unreachable', async () => {
    const gone = await startRedis();
    await gone.kill();
    const limiter = await openLimiter({
      spend: new MapSpend(),
      settings: () => ({ ...DEFAULT_SETTINGS, timeZone: 'UTC' }),
      emit: () => undefined,
      redisUrl: gone.url,
      report: () => undefined,
    });
    try {
      const started = Date.now();
      await expect(limiter.admit(makeTool('x', { dailyUsd: 1 }), req(0.1))).rejects.toBeInstanceOf(
        LimitsUnavailableError,
      );
      await expect(limiter.headroomUsd(makeTool('x', { dailyUsd: 1 }))).rejects.toThrow(
        /Redis at redis:\/\/127\.0\.0\.1/,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await limiter.close?.();
    }
  }, 30_000);
});
