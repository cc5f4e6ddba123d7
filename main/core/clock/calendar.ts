// "Today" and "this month" are the user's local calendar (configurable time zone), not UTC:
// a budget that resets at 5pm local time would surprise everyone.
import { TZDate } from '@date-fns/tz';
import { addDays, addMonths, startOfDay, startOfMonth } from 'date-fns';

export type Period = 'day' | 'month';

/** The system time zone when the setting is empty. */
export function resolveTimeZone(tz: string): string {
  return tz || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function zoned(at: Date, tz: string): TZDate {
  return new TZDate(at.getTime(), resolveTimeZone(tz));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` of `at` in `tz`. */
export function localDay(at: Date, tz: string): string {
  const z = zoned(at, tz);
  return `${z.getFullYear()}-${pad(z.getMonth() + 1)}-${pad(z.getDate())}`;
}

/** `YYYY-MM` of `at` in `tz`. */
export function localMonth(at: Date, tz: string): string {
  return localDay(at, tz).slice(0, 7);
}

/** The instant the current period ends (next local midnight / first of next month). */
export function periodEnd(at: Date, tz: string, period: Period): Date {
  const z = zoned(at, tz);
  const end = period === 'day' ? startOfDay(addDays(z, 1)) : startOfMonth(addMonths(z, 1));
  return new Date(end.getTime());
}

/** The instant the current period started. */
export function periodStart(at: Date, tz: string, period: Period): Date {
  const z = zoned(at, tz);
  const start = period === 'day' ? startOfDay(z) : startOfMonth(z);
  return new Date(start.getTime());
}

/** Key of the period containing `at`: a day or a month string. */
export function periodKey(at: Date, tz: string, period: Period): string {
  return period === 'day' ? localDay(at, tz) : localMonth(at, tz);
}
