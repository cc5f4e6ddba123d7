// A ledger time is nearly always Date#toISOString()'s form of an instant a few milliseconds old,
// and the ledger reads every one twice per request (the record's and its journal entry's): its
// milliseconds, and whether it is that exact form (toRow keeps any other spelling verbatim).
// Date.parse plus a toISOString() to compare were ~1.5 µs per record on the proxy's thread; within
// a second already seen, both are a prefix comparison and three digits.

/** The last second formatted, and its 'YYYY-MM-DDTHH:MM:SS.' (NaN/'\0': none yet, matches nothing). */
let second = NaN;
let prefix = '\0';

/** The instant `time` names if it is toISOString()'s exact form within the cached second, else NaN. */
function withinSecond(time: string): number {
  if (time.length !== 24 || time.charCodeAt(23) !== 90 /* Z */ || !time.startsWith(prefix)) return NaN;
  const a = time.charCodeAt(20) - 48;
  const b = time.charCodeAt(21) - 48;
  const c = time.charCodeAt(22) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9) return NaN;
  return second + a * 100 + b * 10 + c;
}

/** Caches the second holding `ms` (only a 24-character form: years 0000–9999). */
function learn(ms: number): void {
  const s = Math.floor(ms / 1000) * 1000;
  if (s === second || !Number.isFinite(s)) return;
  const iso = new Date(s).toISOString();
  if (iso.length !== 24) return;
  second = s;
  prefix = iso.slice(0, 20);
}

/** `Date.parse(time)`, without the parse for toISOString()'s form of a recent instant. */
export function isoTimeMs(time: string): number {
  const ms = withinSecond(time);
  if (!Number.isNaN(ms)) return ms;
  const parsed = Date.parse(time);
  if (time.length === 24 && !Number.isNaN(parsed)) learn(parsed);
  return parsed;
}

/** `new Date(ms).toISOString() === time` (throws the same RangeError for an invalid `ms`). */
export function isIsoOf(time: string, ms: number): boolean {
  if (withinSecond(time) === ms) return true;
  const iso = new Date(ms).toISOString();
  if (iso === time) learn(ms);
  return iso === time;
}
