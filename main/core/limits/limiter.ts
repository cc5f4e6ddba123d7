// The limiter the proxy calls for every request: budgets and rate limits checked and reserved in
// one synchronous step (so concurrent requests cannot all slip through), settled after the ledger.
import type { Settings, Tool } from '../../../shared/config.js';
import { addUsd, roundUsd } from '../../../shared/money.js';
import { localDay, localMonth } from '../clock/calendar.js';
import { BlockedThrottle, BudgetAlerts } from './alerts.js';
import {
  BudgetBook,
  budgetMessage,
  fits,
  passed,
  resetsAt,
  scopeLimit,
  type Hold,
  type PeriodKeys,
  type ScopeUse,
} from './budgets.js';
import { formatDuration, rateLimitHeaders, retryAfterHeaders } from './rate-headers.js';
import { RateWindow, WINDOW_MS, type WindowEntry } from './rate-window.js';
import type { AdmitRequest, Limiter, LimiterDeps, Refusal, Reservation, BudgetPeriodState } from './types.js';
import { postWebhook } from './webhook.js';

export function createLimiter(deps: LimiterDeps): Limiter {
  const now = deps.now ?? (() => new Date());
  const fetchImpl = deps.fetch ?? globalThis.fetch;
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

  const rateHeaders = (tool: Tool, w: RateWindow, nowMs: number) => {
    const { requests, tokens } = w.usage(nowMs);
    return rateLimitHeaders({
      rpm: tool.limits.rpm,
      tpm: tool.limits.tpm,
      requests,
      tokens,
      requestsResetMs: w.resetMs(nowMs, 'requests'),
      tokensResetMs: w.resetMs(nowMs, 'tokens'),
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
    const failing = book.use(tool.name, tool, s, keys).filter((u) => !fits(u, req.worstCaseUsd));
    if (failing.length === 0) return null;
    // Report the scope that frees up last: waiting for the daily reset is pointless when the month is spent.
    const worst = failing.find((u) => u.scope.period === 'month') ?? (failing[0] as ScopeUse);
    const reset = resetsAt(at, s.timeZone, worst.scope.period);
    return {
      kind: 'budget',
      scope: { ...worst.scope },
      limitUsd: worst.limitUsd,
      spentUsd: worst.spentUsd,
      resetsAt: reset.date,
      message: budgetMessage(tool.name, worst, req.worstCaseUsd, reset.iso),
    };
  }

  function rateRefusal(tool: Tool, req: AdmitRequest, w: RateWindow, nowMs: number): Refusal | null {
    const { rpm, tpm } = tool.limits;
    const requestWait = rpm === undefined ? 0 : w.requestWaitMs(nowMs, rpm);
    const tokenWait = tpm === undefined ? 0 : w.tokenWaitMs(nowMs, tpm, req.estimatedTokens);
    if (requestWait === 0 && tokenWait === 0) return null;
    // Both must clear before the request fits, so report the longer wait.
    const metric = requestWait >= tokenWait ? 'requests' : 'tokens';
    const tooBig = tokenWait === Infinity;
    const retryAfterMs = tooBig ? WINDOW_MS : Math.max(requestWait, tokenWait);
    const limit = (metric === 'requests' ? rpm : tpm) as number;
    const message = tooBig
      ? `Tool "${tool.name}" sent a request of about ${req.estimatedTokens} tokens, more than its limit of ${limit} tokens per minute.`
      : `Tool "${tool.name}" is over its rate limit of ${limit} ${limit === 1 ? metric.slice(0, -1) : metric} per minute; ` +
        `retry in ${formatDuration(retryAfterMs)}.`;
    return {
      kind: 'rate',
      metric,
      limit,
      retryAfterMs,
      headers: { ...rateHeaders(tool, w, nowMs), ...retryAfterHeaders(retryAfterMs) },
      message,
    };
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
    headers: Record<string, string>,
  ): Reservation {
    let open = true;
    const close = (tokens: number): boolean => {
      if (!open) return false;
      open = false;
      book.drop(hold);
      w.setTokens(entry, tokens, now().getTime());
      return true;
    };
    return {
      headers,
      check(runningUsd) {
        const uses = usesFor(toolName, deps.settings(), hold.keys, hold);
        return uses.some((u) => passed(u, runningUsd)) ? 'over' : 'ok';
      },
      settle(actual) {
        if (close(actual.tokens)) fireAlerts(toolName, hold.keys);
      },
      release() {
        close(0);
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
      const hold: Hold = { tool: tool.name, usd: req.worstCaseUsd ?? 0, keys };
      book.hold(hold);
      const entry = w.add(nowMs, req.estimatedTokens);
      return {
        ok: true,
        reservation: reservationFor(tool.name, hold, w, entry, rateHeaders(tool, w, nowMs)),
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
