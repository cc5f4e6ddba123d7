// Model → price, from three tables: user > refreshed > builtin. Lookup stages, first hit wins:
// exact key, then without provider prefix, then without date/-latest suffix, then the longest
// table key that is a `-`-separated prefix of the name (`gpt-5-codex` → `gpt-5`). No match is
// undefined: the caller records the request as unpriced, never as $0.
import type { Price, PriceSource } from '../../../shared/prices.js';
import { BUILTIN_PRICES } from './builtin-prices.js';
import { baseName, stripDateSuffix } from './model-name.js';

export interface PriceMatch {
  model: string;
  /** the table key that matched */
  key: string;
  price: Price;
  source: PriceSource;
}

export interface PriceBook {
  lookup(model: string): PriceMatch | undefined;
  list(): PriceMatch[];
}

interface Entry {
  key: string;
  price: Price;
  source: PriceSource;
}

interface Index {
  /** By lowercased full key; a higher-precedence source replaces a lower one. */
  exact: Map<string, Entry>;
  /** By base name (lowercased, provider prefix stripped). */
  base: Map<string, Entry>;
}

const RANK: Record<PriceSource, number> = { builtin: 0, refreshed: 1, user: 2 };

function buildIndex(user: Record<string, Price>, refreshed: Record<string, Price>): Index {
  const exact = new Map<string, Entry>();
  const tables: [PriceSource, Record<string, Price>][] = [
    ['builtin', BUILTIN_PRICES],
    ['refreshed', refreshed],
    ['user', user],
  ];
  for (const [source, table] of tables) {
    for (const [key, price] of Object.entries(table))
      exact.set(key.trim().toLowerCase(), { key, price, source });
  }
  const base = new Map<string, Entry>();
  for (const [lower, entry] of exact) {
    const name = baseName(lower);
    const prev = base.get(name);
    if (!prev || better(entry, lower === name, prev)) base.set(name, entry);
  }
  return { exact, base };
}

/** For one base name: the user's own price always wins; otherwise a first-party key (`gpt-4o`)
 *  beats reseller-prefixed ones (`azure/gpt-4o`, `vertex_ai/claude-…`), which may be priced
 *  differently; then the higher source wins. */
function better(candidate: Entry, candidateUnprefixed: boolean, current: Entry): boolean {
  const score = (e: Entry, unprefixed: boolean) => [
    e.source === 'user' ? 1 : 0,
    unprefixed ? 1 : 0,
    RANK[e.source],
  ];
  const a = score(candidate, candidateUnprefixed);
  const b = score(current, !current.key.includes('/'));
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) > (b[i] ?? 0);
  return false;
}

export function createPriceBook(sources: {
  user: () => Record<string, Price>;
  refreshed: () => Record<string, Price>;
}): PriceBook {
  // Rebuilt only when a source hands back a different object (config saved, list refreshed).
  let cached: { user: Record<string, Price>; refreshed: Record<string, Price>; index: Index } | undefined;
  function index(): Index {
    const user = sources.user();
    const refreshed = sources.refreshed();
    if (cached?.user !== user || cached.refreshed !== refreshed) {
      cached = { user, refreshed, index: buildIndex(user, refreshed) };
    }
    return cached.index;
  }

  return {
    lookup(model) {
      const { exact, base } = index();
      const hit = (e: Entry | undefined) =>
        e ? { model, key: e.key, price: e.price, source: e.source } : undefined;
      const lower = model.trim().toLowerCase();
      const bare = baseName(model);
      const undated = stripDateSuffix(bare);
      const direct = exact.get(lower) ?? base.get(bare) ?? base.get(undated);
      if (direct) return hit(direct);
      // Longest `-`-separated family prefix: drop trailing segments one at a time.
      for (let end = undated.lastIndexOf('-'); end > 0; end = undated.lastIndexOf('-', end - 1)) {
        const family = base.get(undated.slice(0, end));
        if (family) return hit(family);
      }
      return undefined;
    },
    list() {
      return [...index().exact.values()]
        .map((e) => ({ model: e.key, key: e.key, price: e.price, source: e.source }))
        .sort((a, b) => a.key.localeCompare(b.key));
    },
  };
}
