// localDay() costs a few µs (Intl under the hood) and resolving the system zone ~100 µs; at 1M
// records that is minutes. Every real UTC offset is a multiple of 15 minutes, so all instants in
// one UTC quarter-hour share a local day.
import { localDay, resolveTimeZone } from '../clock/calendar.js';

const QUARTER_HOUR_MS = 15 * 60 * 1000;
const MAX_ENTRIES = 20_000;
/** The system zone can change (travel); look it up again at most this often. */
const SYSTEM_ZONE_TTL_MS = 60_000;

export function createLocalDayCache(clock: () => number = () => performance.now()): (at: Date, tz: string) => string {
  const cache = new Map<string, string>();
  let systemZone = '';
  let systemZoneAt = -Infinity;
  const zoneOf = (tz: string) => {
    if (tz) return tz;
    const t = clock();
    if (t - systemZoneAt > SYSTEM_ZONE_TTL_MS) {
      systemZone = resolveTimeZone('');
      systemZoneAt = t;
    }
    return systemZone;
  };
  return (at, tz) => {
    const zone = zoneOf(tz);
    const key = `${zone}|${Math.floor(at.getTime() / QUARTER_HOUR_MS)}`;
    let day = cache.get(key);
    if (day === undefined) {
      day = localDay(at, zone);
      if (cache.size >= MAX_ENTRIES) cache.clear();
      cache.set(key, day);
    }
    return day;
  };
}
