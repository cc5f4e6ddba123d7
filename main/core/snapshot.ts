// A compact view of spend and state for the tray (tooltip, title, icon) and `Core.snapshot()`.
import type { Config } from '../../shared/config.js';
import { localDay, localMonth } from './clock/calendar.js';
import type { CoreSnapshot } from './core.js';
import type { Ledger } from './ledger/index.js';

export function buildSnapshot(a: { url: string; config: Config; ledger: Ledger; now: Date }): CoreSnapshot {
  const tz = a.config.settings.timeZone;
  const day = localDay(a.now, tz);
  const month = localMonth(a.now, tz);
  const tools = a.config.tools.map((t) => {
    const todayUsd = a.ledger.totals({ day, tool: t.name }).costUsd;
    const monthUsd = a.ledger.totals({ month, tool: t.name }).costUsd;
    const overBudget =
      (t.limits.dailyUsd !== undefined && todayUsd >= t.limits.dailyUsd) ||
      (t.limits.monthlyUsd !== undefined && monthUsd >= t.limits.monthlyUsd);
    return {
      name: t.name,
      paused: t.paused,
      todayUsd,
      monthUsd,
      ...(t.limits.dailyUsd !== undefined ? { dailyUsd: t.limits.dailyUsd } : {}),
      ...(t.limits.monthlyUsd !== undefined ? { monthlyUsd: t.limits.monthlyUsd } : {}),
      overBudget,
    };
  });
  return {
    url: a.url,
    paused: a.config.settings.paused,
    todayUsd: a.ledger.totals({ day }).costUsd,
    monthUsd: a.ledger.totals({ month }).costUsd,
    tools,
  };
}
