// Token counts, latencies and times in the user's locale.

// One formatter per locale and style: building an Intl.NumberFormat costs far more than using one,
// and the first paint formats every tile, card and row (~0.1 s of it at 1M records).
const numberFormats = new Map<string, Intl.NumberFormat>();
type NumberStyle = 'compact' | 'standard' | 'int' | 'tenths' | 'hundredths';
const STYLES: Record<NumberStyle, Intl.NumberFormatOptions> = {
  compact: { notation: 'compact' },
  standard: { notation: 'standard' },
  int: { maximumFractionDigits: 0 },
  tenths: { maximumFractionDigits: 1 },
  hundredths: { maximumFractionDigits: 2 },
};

function numberFormat(locale: string | undefined, style: NumberStyle): Intl.NumberFormat {
  const key = `${locale ?? ''}|${style}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, STYLES[style]);
    numberFormats.set(key, f);
  }
  return f;
}

export function formatCount(n: number, locale?: string): string {
  return numberFormat(locale, n >= 10_000 ? 'compact' : 'standard').format(n);
}

/** Every digit, grouped: a request's detail is for checking the bill, so no compact `12K`. */
export function formatExactCount(n: number, locale?: string): string {
  return numberFormat(locale, 'standard').format(n);
}

export function formatSeconds(s: number, locale?: string): string {
  return `${numberFormat(locale, 'hundredths').format(s)} s`;
}

export function formatLatency(ms: number, locale?: string): string {
  if (ms < 1000) return `${numberFormat(locale, 'int').format(ms)} ms`;
  return `${numberFormat(locale, 'tenths').format(ms / 1000)} s`;
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
