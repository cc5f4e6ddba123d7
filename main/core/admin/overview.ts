// The overview the dashboard opens on: spend today / this month, budget and rate use per tool.
import type { Overview } from '../../../shared/admin-api.js';
import { localDay, localMonth, resolveTimeZone } from '../clock/calendar.js';
import type { AdminDeps } from './admin-deps.js';

/** What the overview reads (also built by the spend ticks, outside the admin app). */
export type OverviewDeps = Pick<AdminDeps, 'config' | 'ledger' | 'limiter' | 'now'>;

export function buildOverview(deps: OverviewDeps): Overview {
  const config = deps.config.get();
  const now = deps.now();
  const tz = config.settings.timeZone;
  const today = localDay(now, tz);
  const month = localMonth(now, tz);
  const use = (limitUsd: number | undefined, spentUsd: number) =>
    limitUsd === undefined ? null : { limitUsd, spentUsd };
  let requestsLastMinute = 0;
  const tools = config.tools.map((tool) => {
    const dayTotals = deps.ledger.totals({ day: today, tool: tool.name });
    const monthTotals = deps.ledger.totals({ month, tool: tool.name });
    const todayUsd = dayTotals.costUsd;
    const monthUsd = monthTotals.costUsd;
    const rate = deps.limiter.rateUse(tool);
    requestsLastMinute += rate.requests;
    return {
      name: tool.name,
      paused: tool.paused,
      todayUsd,
      monthUsd,
      day: use(tool.limits.dailyUsd, todayUsd),
      month: use(tool.limits.monthlyUsd, monthUsd),
      rpm: tool.limits.rpm ? { limit: tool.limits.rpm, used: rate.requests } : null,
      tpm: tool.limits.tpm ? { limit: tool.limits.tpm, used: rate.tokens } : null,
      requestsLastMinute: rate.requests,
      unpricedToday: dayTotals.unpriced,
      unpricedMonth: monthTotals.unpriced,
    };
  });
  const todayTotals = deps.ledger.totals({ day: today });
  const monthUsd = deps.ledger.totals({ month }).costUsd;
  return {
    now: now.toISOString(),
    timeZone: resolveTimeZone(tz),
    today,
    month,
    todayUsd: todayTotals.costUsd,
    monthUsd,
    unpricedToday: todayTotals.unpriced,
    tools,
    global: {
      day: use(config.settings.globalDailyUsd, todayTotals.costUsd),
      month: use(config.settings.globalMonthlyUsd, monthUsd),
    },
    requestsLastMinute,
    paused: config.settings.paused,
  };
}
