// Money for people: cents for ordinary amounts, significant digits for the sub-cent costs of one request.
const cache = new Map<string, Intl.NumberFormat>();

function formatter(locale: string | undefined, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale ?? ''}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', ...opts });
    cache.set(key, f);
  }
  return f;
}

/** `$12.34`, `$0.1234`, `$0.000435`; null (unpriced model) is shown as such, never as $0. */
export function formatUsd(x: number | null | undefined, locale?: string): string {
  if (x === null || x === undefined) return 'unpriced';
  const abs = Math.abs(x);
  if (abs === 0) return formatter(locale, {}).format(0);
  if (abs >= 1) return formatter(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
  if (abs >= 0.01) return formatter(locale, { minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(x);
  return formatter(locale, { maximumSignificantDigits: 3 }).format(x);
}

/** Axis ticks: short and never misleadingly rounded to $0. */
export function formatUsdAxis(x: number, locale?: string): string {
  if (x === 0 || Math.abs(x) >= 1) {
    return formatter(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(x);
  }
  return formatter(locale, { maximumSignificantDigits: 2 }).format(x);
}
