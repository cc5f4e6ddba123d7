// Turns daily spend rows into recharts' one-object-per-day shape, with series ordered biggest first
// so the legend and stack read the same way.
import type { DailySpend } from '../../../shared/admin-api.js';
import { addUsd } from '../../../shared/money.js';

export interface SpendSeries {
  keys: string[];
  /** Values sit under `values` so a tool or model named "day" can't collide with the x key. */
  data: Array<{ day: string; values: Record<string, number> }>;
  total: number;
}

export function spendSeries(spend: DailySpend): SpendSeries {
  const totals = new Map<string, number>();
  const byDay = new Map<string, Record<string, number>>();
  for (const row of spend.rows) {
    totals.set(row.key, addUsd(totals.get(row.key) ?? 0, row.costUsd));
    const day = byDay.get(row.day) ?? {};
    day[row.key] = addUsd(day[row.key] ?? 0, row.costUsd);
    byDay.set(row.day, day);
  }
  const keys = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
  const days = spend.days.length > 0 ? spend.days : [...byDay.keys()].sort();
  const data = days.map((day) => {
    const known = byDay.get(day) ?? {};
    const values: Record<string, number> = {};
    for (const k of keys) values[k] = known[k] ?? 0;
    return { day, values };
  });
  const total = [...totals.values()].reduce((a, b) => addUsd(a, b), 0);
  return { keys, data, total };
}

/** The same window with one day's rows replaced by pushed values (today's column, live). */
export function withDay(spend: DailySpend, day: string, values: Record<string, number>): DailySpend {
  if (!spend.days.includes(day)) return spend;
  const rows = spend.rows.filter((r) => r.day !== day);
  for (const [key, costUsd] of Object.entries(values)) if (costUsd > 0) rows.push({ day, key, costUsd });
  return { days: spend.days, rows };
}
