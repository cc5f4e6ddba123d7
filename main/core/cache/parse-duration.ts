// `shimmy cache on --ttl 24h`: whole numbers with one unit, so there is no ambiguity about `1.5m`.
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parse a duration like `30s`, `15m`, `24h`, `7d` (or `500ms`) into ms; throws a clear Error on bad input. */
export function parseDuration(text: string): number {
  const match = /^(\d+)\s*(ms|s|m|h|d)$/i.exec(text.trim());
  if (!match) {
    throw new Error(`invalid duration "${text}": use a whole number and a unit, e.g. 30s, 15m, 24h or 7d`);
  }
  const unit = match[2]!.toLowerCase() as keyof typeof UNIT_MS;
  const ms = Number(match[1]) * UNIT_MS[unit];
  if (ms === 0) throw new Error(`invalid duration "${text}": must be greater than zero`);
  if (!Number.isSafeInteger(ms)) throw new Error(`invalid duration "${text}": too long`);
  return ms;
}
