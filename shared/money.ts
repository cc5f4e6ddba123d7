// Costs are kept as USD numbers rounded to 1e-10 (a ten-thousandth of a micro-dollar): far
// below any price's resolution, and sums stay exact to the cent for any realistic total.
export const USD_DECIMALS = 10;
const SCALE = 10 ** USD_DECIMALS;

export function roundUsd(x: number): number {
  return Math.round(x * SCALE) / SCALE;
}

/** Adds USD amounts without float drift accumulating across many records. */
export function addUsd(a: number, b: number): number {
  return roundUsd(a + b);
}

/** `$0.000435`, `$12.34`: cents for big amounts, enough digits to see tiny ones. */
export function formatUsd(x: number): string {
  if (x === 0) return '$0.00';
  if (Math.abs(x) >= 1) return `$${x.toFixed(2)}`;
  if (Math.abs(x) >= 0.01) return `$${x.toFixed(4)}`;
  return `$${x.toPrecision(3).replace(/\.?0+$/, '')}`;
}
