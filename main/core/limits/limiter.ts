// The in-memory limiter the proxy calls for every request: budgets and rate limits checked and
// reserved in one synchronous step (so concurrent requests cannot all slip through), settled after
// the ledger.
import type { Settings, Tool } from '../../../shared/config.js';
import { addUsd, roundUsd } from '../../../shared/money.js';
import { localDay, localMonth } from '../clock/calendar.js';
import { BlockedThrottle, BudgetAlerts } from './alerts.js';
import {
  BudgetBook,
  fits,
  isUnbounded,
  passed,
  scopeLimit,
  type Hold,
  type PeriodKeys,
  type ScopeUse,
} from './budgets.js';
import { rateLimitHeaders } from './rate-headers.js';
import { RateWindow, settledTokens, type WindowEntry } from './rate-window.js';
import { budgetRefusalOf, rateRefusalOf } from './refusals.js';
import type {
  AdmitRequest,
  LimiterDeps,
  Refusal,
  Reservation,
  BudgetPeriodState,
  SyncLimiter,
} from './types.js';
import { postWebhook } from './webhook.js';

/** The in-memory engine: one process owns the state (the data-dir lock makes it the only one), and
 *  admit is synchronous. The Redis engine (redis/redis-limiter.ts) shares it across replicas. */
export function createLimiter(deps: LimiterDeps): SyncLimiter {
  const now = deps.now ?? (() => new Date());
  // A wrapper, not the global itself: reading it loads Node's bundled undici at start-up (issue 16).
  const fetchImpl = deps.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const log = deps.log ?? ((m: string) => console.warn(m));
  const book = new BudgetBook(deps.spend);
  const alerts = new BudgetAlerts(deps.firedAlerts);
  const throttle = new BlockedThrottle();
  const windows = new Map<string, RateWindow>();

  const keysAt = (at: Date, s: Settings): PeriodKeys => ({
    day: localDay(at, s.timeZone),
    month: localMonth(at, s.timeZone),
  });

  const windowOf = (name: string): RateWindow => {
    let w = windows.get(name);
    if (!w) windows.set(name, (w = new RateWindow()));
    return w;
  };

  const rateHeaders = (tool: Tool, w: RateWindow, nowMs: number): Record<string, string> => {
    // No RPM or TPM limit: no headers to say anything about (the window is still kept, for rateUse).
    if (tool.limits.rpm === undefined && tool.limits.tpm === undefined) return {};
    const { requests, tokens } = w.usage(nowMs);
    return rateLimitHeaders({
      rpm: tool.limits.rpm,
      tpm: tool.limits.tpm,
      requests,
      tokens,
      requestsResetMs: w.resetMs(nowMs, 'requests'),
      // Only a TPM limit writes it: its walk (up to 64 entries) is not made for an RPM-only tool
      // on every admit (Redis: 0 without a TPM, the same).
      tokensResetMs: tool.limits.tpm === undefined ? 0 : w.resetMs(nowMs, 'tokens'),
    });
  };

  function blocked(tool: string, reason: 'budget' | 'rate_limit', message: string, at: Date): void {
    const event = throttle.next(tool, reason, message, at);
    if (event) deps.emit(event);
  }

  function budgetRefusal(
    tool: Tool,
    req: AdmitRequest,
    s: Settings,
    at: Date,
    keys: PeriodKeys,
  ): Refusal | null {
    const unbounded = isUnbounded(req);
    const failing = book.use(tool.name, tool, s, keys).filter((u) => !fits(u, req.worstCaseUsd, unbounded));
    return budgetRefusalOf(tool.name, failing, req.worstCaseUsd, s, at, unbounded);
  }

  function rateRefusal(tool: Tool, req: AdmitRequest, w: RateWindow, nowMs: number): Refusal | null {
    const { rpm, tpm } = tool.limits;
    const waits = {
      requestWait: rpm === undefined ? 0 : w.requestWaitMs(nowMs, rpm),
      tokenWait: tpm === undefined ? 0 : w.tokenWaitMs(nowMs, tpm, req.estimatedTokens),
    };
    if (waits.requestWait === 0 && waits.tokenWait === 0) return null;
    return rateRefusalOf(tool, req, waits, rateHeaders(tool, w, nowMs));
  }

  function fireAlerts(toolName: string, keys: PeriodKeys): void {
    const at = now();
    const s = deps.settings();
    for (const event of alerts.due(usesFor(toolName, s, keys), at)) {
      deps.emit(event);
      if (s.alertWebhookUrl) void postWebhook(s.alertWebhookUrl, event, fetchImpl, log);
    }
  }

  // check() and settle() run later than admit(): they use the newest tool object admitted under
  // that name, so a limit changed while a stream runs applies to it too.
  const latestTool = new Map<string, Tool>();
  const usesFor = (toolName: string, s: Settings, keys: PeriodKeys, except?: Hold): ScopeUse[] =>
    book.use(toolName, latestTool.get(toolName) ?? null, s, keys, except);

  function reservationFor(
    toolName: string,
    hold: Hold,
    w: RateWindow,
    entry: WindowEntry,
    estimate: number,
    headers: Record<string, string>,
  ): Reservation {
    let open = true;
    const close = (): boolean => {
      if (!open) return false;
      open = false;
      book.drop(hold);
      return true;
    };
    return {
      headers,
      check(runningUsd) {
        const uses = usesFor(toolName, deps.settings(), hold.keys, hold);
        return uses.some((u) => passed(u, runningUsd)) ? 'over' : 'ok';
      },
      settle(actual) {
        if (!close()) return;
        w.settle(entry, estimate, settledTokens(actual, estimate), now().getTime());
        fireAlerts(toolName, hold.keys);
      },
      release() {
        if (close()) w.setTokens(entry, 0, now().getTime());
      },
    };
  }

  return {
    admit(tool, req) {
      const at = now();
      const nowMs = at.getTime();
      const s = deps.settings();
      const keys = keysAt(at, s);
      latestTool.set(tool.name, tool);
      const w = windowOf(tool.name);

      const refusal = budgetRefusal(tool, req, s, at, keys) ?? rateRefusal(tool, req, w, nowMs);
      if (refusal) {
        blocked(tool.name, refusal.kind === 'budget' ? 'budget' : 'rate_limit', refusal.message, at);
        return { ok: false, refusal };
      }

      // Nothing between the checks above and these two lines yields: this is the atomic reserve.
      const hold: Hold = {
        tool: tool.name,
        usd: req.worstCaseUsd ?? 0,
        keys,
        unbounded: isUnbounded(req),
      };
      book.hold(hold);
      const entry = w.add(nowMs, req.estimatedTokens);
      return {
        ok: true,
        reservation: reservationFor(
          tool.name,
          hold,
          w,
          entry,
          req.estimatedTokens,
          rateHeaders(tool, w, nowMs),
        ),
      };
    },

    headroomUsd(tool) {
      const s = deps.settings();
      latestTool.set(tool.name, tool);
      let room: number | undefined;
      for (const u of book.use(tool.name, tool, s, keysAt(now(), s))) {
        const left = roundUsd(roundUsd(u.limitUsd) - addUsd(u.spentUsd, u.reservedUsd));
        room = room === undefined ? left : Math.min(room, left);
      }
      return room === undefined ? undefined : Math.max(0, room);
    },

    rateUse(tool) {
      return windowOf(tool.name).usage(now().getTime());
    },

    budgetState(tool) {
      const s = deps.settings();
      const keys = keysAt(now(), s);
      const out: { day?: BudgetPeriodState; month?: BudgetPeriodState } = {};
      for (const period of ['day', 'month'] as const) {
        const scope = { tool: tool?.name ?? null, period };
        const limitUsd = scopeLimit(scope, tool, s);
        if (limitUsd === undefined) continue;
        out[period] = {
          limitUsd,
          spentUsd: book.spent(scope, keys[period]),
          reservedUsd: book.reserved(scope, keys[period]),
        };
      }
      return out;
    },
  };
}
