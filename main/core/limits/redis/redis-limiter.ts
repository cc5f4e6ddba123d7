// The Redis engine of the limiter: budgets and the sliding minute shared by every replica of a
// team gateway. Each admit is one Lua script (check and reserve in one step, redis-scripts.ts);
// settle adjusts spent by the actual cost and drops the reservation. Spend per scope and period
// lives in Redis (seeded from this replica's ledger totals when a period's key is missing), so a
// replica never needs the others' ledger. Answers are promises; Redis unreachable rejects with
// LimitsUnavailableError and the proxy refuses the request (fail closed). A budget alert is sent
// by the one replica that claims it in Redis (shared-alerts.ts), not by every replica.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Settings, Tool } from '../../../../shared/config.js';
import { addUsd, roundUsd } from '../../../../shared/money.js';
import { localDay, localMonth } from '../../clock/calendar.js';
import { BlockedThrottle } from '../alerts.js';
import {
  isUnbounded,
  passed,
  scopeLimit,
  scopesOf,
  type BudgetScope,
  type PeriodKeys,
  type ScopeUse,
} from '../budgets.js';
import { rateLimitHeaders } from '../rate-headers.js';
import { settledTokens, WINDOW_MS } from '../rate-window.js';
import { budgetRefusalOf, rateRefusalOf } from '../refusals.js';
import type { Admission, Limiter, LimiterDeps, Reservation } from '../types.js';
import { LimitsUnavailableError } from '../types.js';
import { postWebhook } from '../webhook.js';
import { budgetTtlMs, fromE10, limitKeys, toE10 } from './redis-keys.js';
import { defineLimitScripts } from './redis-scripts.js';
import { createSharedAlerts } from './shared-alerts.js';

export interface RedisLimiterDeps extends LimiterDeps {
  redis: Redis;
  /** Key prefix, so several gateways can share one Redis (default `shimmy:`). */
  prefix?: string;
  /** Redis named in refusals, without credentials: `redis://host:6379`. */
  where: string;
}

/** How long an unbounded request keeps others out in Redis if its settle never lands: twice the
 *  time an upstream may take to answer (a transcription's answer follows its headers at once). */
const unboundedLeaseMs = (s: Settings) => 2 * s.upstreamTimeoutMs;

interface ScopeRow {
  scope: BudgetScope;
  periodKey: string;
  key: string;
  limitUsd: number | undefined;
}

export function createRedisLimiter(deps: RedisLimiterDeps): Limiter {
  const now = deps.now ?? (() => new Date());
  // A wrapper, not the global itself: reading it loads Node's bundled undici at start-up (issue 16).
  const fetchImpl = deps.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const log = deps.log ?? ((m: string) => console.warn(m));
  const scripts = defineLimitScripts(deps.redis);
  const keys = limitKeys(deps.prefix ?? 'shimmy:');
  const alerts = createSharedAlerts({
    redis: deps.redis,
    key: keys.alert,
    seed: deps.firedAlerts,
    log,
    send: (event) => {
      deps.emit(event);
      const hook = deps.settings().alertWebhookUrl;
      if (hook) void postWebhook(hook, event, fetchImpl, log);
    },
  });
  const throttle = new BlockedThrottle();
  // What this replica last saw of the shared state, for the dashboard's synchronous reads.
  const seenBudget = new Map<string, { spent: number; reserved: number }>();
  const seenRate = new Map<string, { requests: number; tokens: number; at: number }>();
  // Budget keys this replica has seen exist in Redis (each lives until a day after its period).
  const seeded = new Set<string>();

  const unavailable = (err: unknown) => {
    // While disconnected, ioredis's own error only says its offline queue is off: say what it means.
    const why =
      deps.redis.status === 'ready'
        ? ((err as Error)?.message ?? String(err))
        : `not connected: ${deps.redis.status}`;
    return new LimitsUnavailableError(`Redis at ${deps.where} did not answer (${why})`, { cause: err });
  };

  const periodsAt = (at: Date, s: Settings): PeriodKeys => ({
    day: localDay(at, s.timeZone),
    month: localMonth(at, s.timeZone),
  });

  // Every scope's spend is kept, limited or not, so a limit set mid-period starts from the truth.
  const rowsOf = (tool: Tool, s: Settings, periods: PeriodKeys): ScopeRow[] =>
    scopesOf(tool.name).map((scope) => ({
      scope,
      periodKey: periods[scope.period],
      key: keys.budget(scope, periods[scope.period]),
      limitUsd: scopeLimit(scope, tool, s),
    }));

  const ledgerSpent = (scope: BudgetScope, periodKey: string) => {
    const q = scope.period === 'day' ? { day: periodKey } : { month: periodKey };
    return roundUsd(deps.spend.totals(scope.tool === null ? q : { ...q, tool: scope.tool }).costUsd);
  };

  const useOf = (r: ScopeRow, spentE10: number, reservedE10: number): ScopeUse => ({
    scope: r.scope,
    periodKey: r.periodKey,
    limitUsd: r.limitUsd as number,
    spentUsd: fromE10(spentE10),
    reservedUsd: fromE10(reservedE10),
  });

  function reservationFor(
    toolName: string,
    rows: ScopeRow[],
    usesAtAdmit: ScopeUse[],
    heldE10: number,
    id: string,
    estimate: number,
    headers: Record<string, string>,
    unbounded: boolean,
  ): Reservation {
    const allKeys = [...rows.map((r) => r.key), ...keys.window(toolName)];
    let open = true;
    const close = (spentE10: number, tokens: number, alert: boolean) => {
      if (!open) return;
      open = false;
      scripts
        .settle(allKeys, [
          rows.length,
          String(-heldE10),
          String(spentE10),
          id,
          Math.max(0, Math.round(tokens)),
          unbounded ? 1 : 0,
          now().getTime(),
          WINDOW_MS,
          estimate,
          2 * WINDOW_MS,
        ])
        .then(
          (reply) => {
            const uses: ScopeUse[] = [];
            rows.forEach((r, i) => {
              const spent = reply[2 * i] as number;
              const reserved = reply[2 * i + 1] as number;
              if (spent < 0) return;
              seenBudget.set(r.key, { spent, reserved });
              if (r.limitUsd !== undefined) uses.push(useOf(r, spent, reserved));
            });
            if (alert) alerts.fire(uses, now(), deps.settings().timeZone);
          },
          // The reservation stays counted at its worst case in Redis until the period's key
          // expires: the budget errs on the safe side.
          (err: unknown) =>
            log(
              `shimmy: could not settle a reservation in Redis (${String(err)}); it stays counted at its worst case`,
            ),
        );
    };
    return {
      headers,
      // Against the state this request was admitted in: every request admitted later fitted with
      // this one's worst case counted, so a running cost within it never passes a budget.
      check: (runningUsd) => (usesAtAdmit.some((u) => passed(u, runningUsd)) ? 'over' : 'ok'),
      settle: (actual) =>
        close(actual.costUsd === null ? 0 : toE10(actual.costUsd), settledTokens(actual, estimate), true),
      release: () => close(0, 0, false),
    };
  }

  async function admit(tool: Tool, req: Parameters<Limiter['admit']>[1]): Promise<Admission> {
    const at = now();
    const nowMs = at.getTime();
    const s = deps.settings();
    const rows = rowsOf(tool, s, periodsAt(at, s));
    const unbounded = isUnbounded(req);
    const worstE10 = req.worstCaseUsd === null ? (unbounded ? -2 : -1) : toE10(req.worstCaseUsd);
    const id = randomUUID();
    const { rpm, tpm } = tool.limits;
    const estimate = Math.max(0, Math.round(req.estimatedTokens));
    const args: Array<string | number> = [
      rows.length,
      worstE10,
      nowMs,
      WINDOW_MS,
      rpm ?? -1,
      tpm ?? -1,
      estimate,
      id,
      2 * WINDOW_MS,
      // An unbounded request's hold lasts until its settle; if that never lands (a replica dies,
      // Redis is unreachable then), it lapses after the longest an upstream answer may take.
      unboundedLeaseMs(s),
    ];
    const reserve = (seedAll: boolean) => {
      const a = [...args];
      for (const r of rows) {
        a.push(r.limitUsd === undefined ? -1 : toE10(r.limitUsd));
        // A key this replica saw in Redis needs no seed: the ledger total and the period's end
        // (a time-zone computation) cost more than the script itself. Sent when it may be missing.
        if (!seedAll && seeded.has(r.key)) a.push(-1, -1);
        else a.push(toE10(ledgerSpent(r.scope, r.periodKey)), budgetTtlMs(at, s.timeZone, r.scope.period));
      }
      return scripts.reserve([...rows.map((r) => r.key), ...keys.window(tool.name)], a);
    };
    let reply: number[];
    try {
      reply = await reserve(false);
      // A key gone since (expired, Redis restarted or flushed): nothing was reserved; again, seeded.
      if (reply[0] === -1) reply = await reserve(true);
    } catch (err) {
      throw unavailable(err);
    }
    if (seeded.size > 10_000) seeded.clear();
    for (const r of rows) seeded.add(r.key);
    const [ok, requestWait, tokenWait, requests, tokens, resetMs, tokenResetMs] = reply as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    seenRate.set(tool.name, { requests, tokens, at: nowMs });
    const headers = rateLimitHeaders({
      rpm,
      tpm,
      requests,
      tokens,
      requestsResetMs: resetMs,
      tokensResetMs: tokenResetMs,
    });
    const uses: ScopeUse[] = [];
    const failing: ScopeUse[] = [];
    rows.forEach((r, i) => {
      const [spent, reserved, fit] = reply.slice(7 + 3 * i, 10 + 3 * i) as [number, number, number];
      seenBudget.set(r.key, { spent, reserved: ok ? reserved + Math.max(0, worstE10) : reserved });
      if (r.limitUsd === undefined) return;
      uses.push(useOf(r, spent, reserved));
      if (fit !== 1) failing.push({ ...useOf(r, spent, reserved), busy: fit === 2 });
    });
    if (ok === 1)
      return {
        ok: true,
        reservation: reservationFor(
          tool.name,
          rows,
          uses,
          Math.max(0, worstE10),
          id,
          estimate,
          headers,
          unbounded,
        ),
      };

    const refusal =
      budgetRefusalOf(tool.name, failing, req.worstCaseUsd, s, at, unbounded) ??
      rateRefusalOf(tool, req, { requestWait, tokenWait: tokenWait < 0 ? Infinity : tokenWait }, headers);
    if (!refusal) throw new Error('Redis refused a request without a reason');
    const event = throttle.next(
      tool.name,
      refusal.kind === 'budget' ? 'budget' : 'rate_limit',
      refusal.message,
      at,
    );
    if (event) deps.emit(event);
    return { ok: false, refusal };
  }

  return {
    admit,

    async headroomUsd(tool) {
      const s = deps.settings();
      const rows = rowsOf(tool, s, periodsAt(now(), s)).filter((r) => r.limitUsd !== undefined);
      if (rows.length === 0) return undefined;
      let answers;
      try {
        const pipe = deps.redis.pipeline();
        for (const r of rows) pipe.hmget(r.key, 'spent', 'reserved');
        answers = await pipe.exec();
      } catch (err) {
        throw unavailable(err);
      }
      let room = Infinity;
      rows.forEach((r, i) => {
        const [err, v] = answers?.[i] ?? [new Error('no answer')];
        if (err) throw unavailable(err);
        const [spent, reserved] = v as [string | null, string | null];
        // A period not started in Redis yet: what the ledger holds, nothing reserved.
        const used =
          spent === null
            ? ledgerSpent(r.scope, r.periodKey)
            : addUsd(fromE10(Number(spent)), fromE10(Number(reserved ?? 0)));
        room = Math.min(room, roundUsd(roundUsd(r.limitUsd as number) - used));
      });
      return Math.max(0, room);
    },

    rateUse(tool) {
      const seen = seenRate.get(tool.name);
      if (!seen || now().getTime() - seen.at >= WINDOW_MS) return { requests: 0, tokens: 0 };
      return { requests: seen.requests, tokens: seen.tokens };
    },

    budgetState(tool) {
      const s = deps.settings();
      const periods = periodsAt(now(), s);
      const out: ReturnType<Limiter['budgetState']> = {};
      for (const period of ['day', 'month'] as const) {
        const scope = { tool: tool?.name ?? null, period };
        const limitUsd = scopeLimit(scope, tool, s);
        if (limitUsd === undefined) continue;
        const seen = seenBudget.get(keys.budget(scope, periods[period]));
        out[period] = seen
          ? { limitUsd, spentUsd: fromE10(seen.spent), reservedUsd: fromE10(seen.reserved) }
          : { limitUsd, spentUsd: ledgerSpent(scope, periods[period]), reservedUsd: 0 };
      }
      return out;
    },

    async close() {
      await deps.redis.quit().catch(() => deps.redis.disconnect());
    },
  };
}
