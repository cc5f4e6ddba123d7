// USD budgets: which scopes apply to a request, what each has spent and has reserved by requests
// in flight, and the admission rule spent + reserved + worst case <= limit.
import type { Settings, Tool } from '../../../shared/config.js';
import { addUsd, formatUsd, roundUsd } from '../../../shared/money.js';
import { TZDate } from '@date-fns/tz';
import { periodEnd, resolveTimeZone, type Period } from '../clock/calendar.js';
import type { AdmitRequest, SpendView } from './types.js';

export interface BudgetScope {
  /** Tool name, or null for the global (all tools) budget. */
  tool: string | null;
  period: Period;
}

/** The local day and month a request belongs to (its arrival time, as in the ledger). */
export interface PeriodKeys {
  day: string;
  month: string;
}

/** An admitted request's outstanding worst-case cost. */
export interface Hold {
  readonly tool: string;
  readonly usd: number;
  readonly keys: PeriodKeys;
  /** Its cost counts but has no bound before the answer (AdmitRequest.unbounded). */
  readonly unbounded?: boolean;
}

export interface ScopeUse {
  scope: BudgetScope;
  periodKey: string;
  limitUsd: number;
  spentUsd: number;
  reservedUsd: number;
  /** A request with no bound on its cost (AdmitRequest.unbounded) is in flight against it. */
  busy?: boolean;
}

/** Whether any USD budget — the tool's daily or monthly, or the global ones — applies to `tool`'s
 *  requests (plan traffic aside, which the caller decides). Field by field, no array: it runs on
 *  every request. */
export function hasUsdBudget(tool: Tool | null, settings: Settings): boolean {
  return (
    tool?.limits.dailyUsd !== undefined ||
    tool?.limits.monthlyUsd !== undefined ||
    settings.globalDailyUsd !== undefined ||
    settings.globalMonthlyUsd !== undefined
  );
}

export function scopeLimit(scope: BudgetScope, tool: Tool | null, settings: Settings): number | undefined {
  if (scope.tool === null)
    return scope.period === 'day' ? settings.globalDailyUsd : settings.globalMonthlyUsd;
  return scope.period === 'day' ? tool?.limits.dailyUsd : tool?.limits.monthlyUsd;
}

/** Tool day, tool month, global day, global month: the budgets a tool's request is checked against. */
export function scopesOf(toolName: string): BudgetScope[] {
  return [
    { tool: toolName, period: 'day' },
    { tool: toolName, period: 'month' },
    { tool: null, period: 'day' },
    { tool: null, period: 'month' },
  ];
}

/** Outstanding reservations, summed per scope on demand (few requests are ever in flight). */
export class BudgetBook {
  private readonly holds = new Set<Hold>();

  constructor(private readonly spend: SpendView) {}

  /** Unbounded holds among them: none (nearly always), and `busy` has nothing to look for. */
  private unbounded = 0;

  hold(h: Hold): void {
    this.holds.add(h);
    if (h.unbounded) this.unbounded++;
  }

  drop(h: Hold): void {
    if (this.holds.delete(h) && h.unbounded) this.unbounded--;
  }

  spent(scope: BudgetScope, periodKey: string): number {
    const q = scope.period === 'day' ? { day: periodKey } : { month: periodKey };
    return roundUsd(this.spend.totals(scope.tool === null ? q : { ...q, tool: scope.tool }).costUsd);
  }

  reserved(scope: BudgetScope, periodKey: string, except?: Hold): number {
    let sum = 0;
    for (const h of this.holds) {
      if (h === except || h.keys[scope.period] !== periodKey) continue;
      if (scope.tool === null || scope.tool === h.tool) sum = addUsd(sum, h.usd);
    }
    return sum;
  }

  /** Whether an unbounded request other than `except` is in flight against the scope. */
  busy(scope: BudgetScope, periodKey: string, except?: Hold): boolean {
    if (this.unbounded === 0) return false;
    for (const h of this.holds) {
      if (!h.unbounded || h === except || h.keys[scope.period] !== periodKey) continue;
      if (scope.tool === null || scope.tool === h.tool) return true;
    }
    return false;
  }

  /** Spend and reservations of every scope that has a limit, for the given periods. */
  use(toolName: string, tool: Tool | null, settings: Settings, keys: PeriodKeys, except?: Hold): ScopeUse[] {
    const out: ScopeUse[] = [];
    // No budget at all (most tools): nothing to build the four scopes for, on every admit and settle.
    if (!hasUsdBudget(tool, settings)) return out;
    for (const scope of scopesOf(toolName)) {
      const limitUsd = scopeLimit(scope, tool, settings);
      if (limitUsd === undefined) continue;
      const periodKey = keys[scope.period];
      out.push({
        scope,
        periodKey,
        limitUsd,
        spentUsd: this.spent(scope, periodKey),
        reservedUsd: this.reserved(scope, periodKey, except),
        busy: this.busy(scope, periodKey, except),
      });
    }
    return out;
  }
}

/** Whether the request is admitted as unbounded (AdmitRequest.unbounded): counted against its
 *  budgets with no worst case to reserve. Both limit engines ask this one question. */
export const isUnbounded = (req: AdmitRequest): boolean =>
  req.unbounded === true && req.worstCaseUsd === null;

/** Refuse when spent alone has reached the limit, or a priced request's worst case would pass it.
 *  An unpriced request (null) only meets the first rule: its cost can never be counted anyway.
 *  An unbounded one (counted, but with no worst case to reserve) needs room left after the other
 *  reservations and no other unbounded request in flight: however many are sent at once, the
 *  budget is passed by at most one answer's cost. */
export function fits(use: ScopeUse, worstCaseUsd: number | null, unbounded = false): boolean {
  if (use.spentUsd >= roundUsd(use.limitUsd)) return false;
  if (unbounded) return !use.busy && addUsd(use.spentUsd, use.reservedUsd) < roundUsd(use.limitUsd);
  if (worstCaseUsd === null) return true;
  return addUsd(addUsd(use.spentUsd, use.reservedUsd), worstCaseUsd) <= roundUsd(use.limitUsd);
}

/** Mid-stream: has spend + other reservations + the running cost passed the limit? */
export function passed(use: ScopeUse, runningUsd: number): boolean {
  return addUsd(addUsd(use.spentUsd, use.reservedUsd), runningUsd) > roundUsd(use.limitUsd);
}

/** The local-time ISO instant the scope's period ends, e.g. `2026-12-01T00:00:00.000+01:00`. */
export function resetsAt(at: Date, timeZone: string, period: Period): { date: Date; iso: string } {
  const date = periodEnd(at, timeZone, period);
  return { date, iso: new TZDate(date.getTime(), resolveTimeZone(timeZone)).toISOString() };
}

export function budgetMessage(
  toolName: string,
  use: ScopeUse,
  worstCaseUsd: number | null,
  resetsIso: string,
): string {
  const which = use.scope.period === 'day' ? 'daily' : 'monthly';
  const budget =
    use.scope.tool === null
      ? `the global ${which} budget of ${formatUsd(use.limitUsd)} (all tools)`
      : `its ${which} budget of ${formatUsd(use.limitUsd)}`;
  const spentWhen = use.scope.period === 'day' ? 'today' : 'this month';
  const detail =
    use.spentUsd >= use.limitUsd || worstCaseUsd === null
      ? `${formatUsd(use.spentUsd)} spent ${spentWhen}`
      : `${formatUsd(use.spentUsd)} spent ${spentWhen}, ${formatUsd(use.reservedUsd)} reserved by requests in flight, ` +
        `this request could cost up to ${formatUsd(worstCaseUsd)}`;
  return `Tool "${toolName}" is over ${budget}: ${detail}. It resets at ${resetsIso}.`;
}
