// Spreads requests over a provider's keys and skips keys the provider has just rejected.
const BAD_KEY_MS = 15 * 60_000;

export interface KeyHealth {
  /** Keys in the order to try them: round-robin start, keys marked bad moved to the end. */
  order<K extends { label: string }>(provider: string, keys: K[]): K[];
  markBad(provider: string, label: string): void;
  /** A replaced key is healthy again. */
  clear(provider: string, label: string): void;
}

export function createKeyHealth(now: () => number = Date.now): KeyHealth {
  const bad = new Map<string, number>();
  const next = new Map<string, number>();
  const id = (p: string, l: string) => `${p}#${l}`;
  const isBad = (p: string, l: string) => {
    const until = bad.get(id(p, l));
    if (until === undefined) return false;
    if (until > now()) return true;
    bad.delete(id(p, l));
    return false;
  };
  return {
    order(provider, keys) {
      if (keys.length <= 1) return keys;
      const start = (next.get(provider) ?? 0) % keys.length;
      next.set(provider, start + 1);
      const rotated = [...keys.slice(start), ...keys.slice(0, start)];
      // Bad keys go last rather than away: if every key was rejected, trying one beats refusing outright.
      return [
        ...rotated.filter((k) => !isBad(provider, k.label)),
        ...rotated.filter((k) => isBad(provider, k.label)),
      ];
    },
    markBad: (p, l) => void bad.set(id(p, l), now() + BAD_KEY_MS),
    clear: (p, l) => void bad.delete(id(p, l)),
  };
}
