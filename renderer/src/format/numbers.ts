// Token counts, latencies and times in the user's locale.

export function formatCount(n: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { notation: n >= 10_000 ? 'compact' : 'standard' }).format(n);
}

export function formatLatency(ms: number, locale?: string): string {
  if (ms < 1000) return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(ms)} ms`;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(ms / 1000)} s`;
}

export function formatTime(iso: string, locale?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatDateTime(iso: string, locale?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale);
}

/** `2026-11-25` → `Nov 25` without letting the browser's zone shift the day. */
// One formatter per locale: toLocaleDateString with options builds a new one per call, and the
// chart's axis formats every day label on each redraw.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDay(day: string, locale?: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  const key = locale ?? '';
  let f = dayFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
    dayFormats.set(key, f);
  }
  return f.format(d);
}

/** Parses an optional numeric form field: '' → undefined, junk → NaN (the caller reports it). */
export function parseOptionalNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return Number(t);
}
