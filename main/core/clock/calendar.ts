// "Today" and "this month" are the user's local calendar (configurable time zone), not UTC:
// a budget that resets at 5pm local time would surprise everyone.
import { TZDate } from '@date-fns/tz';
// One module per function: the package index opens ~250 files at once, which alone exhausts a
// low descriptor limit (ulimit -n 256) at start-up.
import { addDays } from 'date-fns/addDays';
import { addMonths } from 'date-fns/addMonths';
import { startOfDay } from 'date-fns/startOfDay';
import { startOfMonth } from 'date-fns/startOfMonth';

export type Period = 'day' | 'month';

// These run several times per request (budgets, roll-ups), so both lookups are cached:
// resolving the system zone builds an Intl formatter (~100 µs), and a local day goes through Intl.
// The system zone itself (an empty setting, the default) never goes through Intl here: Date's own
// local time is that zone (V8 takes both from ICU's default zone), and the first Intl formatter of
// a process loads ICU's locale data — 40–100 ms of the first budgeted request after start-up
// (issue 16). Only its name (resolveTimeZone, for display) needs Intl.
/** The system zone can change (travel); look it up again at most this often. */
const SYSTEM_ZONE_TTL_MS = 60_000;
let systemZone = '';
let systemZoneAt = -Infinity;

/** The system time zone when the setting is empty. */
export function resolveTimeZone(tz: string): string {
  if (tz) return tz;
  const t = Date.now();
  if (t - systemZoneAt > SYSTEM_ZONE_TTL_MS) {
    systemZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    systemZoneAt = t;
  }
  return systemZone;
}

/** `at` as a date in `tz`; the system zone's is a plain Date, whose local fields are that zone's. */
function zoned(at: Date, tz: string): Date {
  return tz ? new TZDate(at.getTime(), tz) : new Date(at.getTime());
}

const pad = (n: number) => String(n).padStart(2, '0');

// Every real UTC offset is a multiple of 15 minutes, so all instants in one UTC quarter-hour
// share a local day.
const QUARTER_HOUR_MS = 15 * 60_000;
const MAX_CACHED_DAYS = 20_000;
const dayCache = new Map<string, string>();

/** `YYYY-MM-DD` of `at` in `tz`. */
// Nearly every call asks about the current quarter-hour: that answer skips even the map's key.
let lastTz = '';
let lastOffset = NaN;
let lastQuarter = NaN;
let lastDay = '';

export function localDay(at: Date, tz: string): string {
  // A local day depends only on the UTC offset in force at `at`: the system zone's key is that
  // offset, so a changed system zone (TZ) never meets a stale cached day. The last answer is
  // matched on the numbers themselves (no key string built per call: several calls per request).
  const offset = tz ? 0 : at.getTimezoneOffset();
  const quarter = Math.floor(at.getTime() / QUARTER_HOUR_MS);
  if (quarter === lastQuarter && offset === lastOffset && tz === lastTz) return lastDay;
  const key = `${tz || `local${offset}`}|${quarter}`;
  let day = dayCache.get(key);
  if (day === undefined) {
    const z = zoned(at, tz);
    day = `${z.getFullYear()}-${pad(z.getMonth() + 1)}-${pad(z.getDate())}`;
    if (dayCache.size >= MAX_CACHED_DAYS) dayCache.clear();
    dayCache.set(key, day);
  }
  lastTz = tz;
  lastOffset = offset;
  lastQuarter = quarter;
  lastDay = day;
  return day;
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
