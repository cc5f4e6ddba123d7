// A bundler plugin for @pydantic/genai-prices' unit registry, which the package builds when it is
// loaded (`const X = new Y(J)`): for each of its ~60 units it compares every other unit's
// dimensions through Object.entries (~3,600 calls of cold code), and it sorts each unit's
// dimensions with String#localeCompare, whose first call loads ICU's collation data. Together
// 21-31 ms of `serve`'s start-up CPU before its first answer (issue 16; measured on the bench VM,
// `new Y(J)` alone: 21-31 ms as shipped, ~3 ms with both edits below).
// - The registry is built on first use (`g()`, its only reader) instead of at load.
// - `$` (is every dimension of e also t's?) loops with for…in over the unit's own frozen plain
//   dimensions object (same keys as Object.entries: no inherited enumerable ones).
// - `z` (a unit's dimensions as a Map key) sorts by code unit, not by locale: the key only has to
//   be the same for the same dimensions, and z is the one function both building and looking up
//   the Map use. Dimension names are distinct ASCII words, so no two compare equal either way.
// - calcPrice's order of units (more dimensions first, then by usage key) breaks ties by code
//   unit: the package's usage keys sort the same both ways (test/unit/build checks every pair),
//   and with it the first priced request no longer loads ICU's collation data (~8-10 ms; it was
//   the only localeCompare before the first answer once the ledger skips a current schema's
//   migrations — kysely's Migrator sorts its names with localeCompare too).
// - The bundled provider list (`E`, ~500 kB of JSON: ~10 ms of CPU and ~1.5 MB of objects) is parsed
//   on first use instead of at load (LAZY_DATA below): a start that finds a saved (refreshed)
//   catalog never uses it — it parsed both, which is most of why such a start cost ~30 ms more
//   (issue 16). Shimmy's lookups pass their own provider without fallbacks, so pricing with a
//   saved catalog never asks for it; the library's own lookups (waitForUpdate, findProvider, a
//   provider's fallbacks) get the same data as before, parsed when first asked.
// Each edit is an exact match on the package's published code (0.1.8); a version whose code
// differs is bundled as it is, with a build warning naming the edit that no longer applies.
const EDITS = [
  {
    name: 'registry built on first use',
    from: 'const X = new Y(J);\nfunction g() {\n  return X;\n}',
    to: 'let X;\nfunction g() {\n  return X ??= new Y(J);\n}',
  },
  {
    name: 'dimension subset by for…in',
    from: 'function $(e, t) {\n  return Object.entries(e.dimensions).every(([a, i]) => t.dimensions[a] === i);\n}',
    to: 'function $(e, t) {\n  const d = e.dimensions, o = t.dimensions;\n  for (const a in d) if (o[a] !== d[a]) return false;\n  return true;\n}',
  },
  {
    name: 'units sorted by code unit',
    from: '|| n.usageKey.localeCompare(s.usageKey)',
    to: '|| (n.usageKey < s.usageKey ? -1 : n.usageKey > s.usageKey ? 1 : 0)',
  },
  {
    name: 'dimension key sorted by code unit',
    from: 'return JSON.stringify(Object.entries(e).sort(([t], [a]) => t.localeCompare(a)));',
    to: 'return JSON.stringify(Object.entries(e).sort(([t], [a]) => (t < a ? -1 : t > a ? 1 : 0)));',
  },
];

/** The lazy bundled data: all of these or none (each needs the others). `E` becomes a function;
 *  `__shimmyProviders()` is the active list (`k`, set by the library's updatePrices as before), parsed on first use. */
const LAZY_DATA = [
  { from: 'const E = ', to: 'const E = () => ', at: 0 },
  {
    from: 'let k = E, q = Promise.resolve(E), R = null;',
    to: 'let k, q, R = null;\nconst __shimmyProviders = () => k ??= E();',
  },
  { from: 'q !== t ? k : O(a)', to: 'q !== t ? __shimmyProviders() : O(a)' },
  {
    from: 'throw q === t && (q = Promise.resolve(k)), a;',
    to: 'throw q === t && (q = Promise.resolve(__shimmyProviders())), a;',
  },
  {
    from: 'function Se() {\n  return q;\n}',
    to: 'function Se() {\n  return q ??= Promise.resolve(__shimmyProviders());\n}',
  },
  { from: 'S(k, { providerId: u })', to: 'S(__shimmyProviders(), { providerId: u })' },
  { from: 'S(k, { modelId: i,', to: 'S(__shimmyProviders(), { modelId: i,' },
  // C() reads its third argument only for a provider with fallback_model_providers.
  {
    from: 'const s = ve(n, i, k);',
    to: 'const s = ve(n, i, n.fallback_model_providers?.length ? __shimmyProviders() : void 0);',
  },
  { from: 'return R?.(), S(k, e);', to: 'return R?.(), S(__shimmyProviders(), e);' },
];

export function genaiPricesUnits() {
  return {
    name: 'shimmy-genai-prices-units',
    transform(code, id) {
      if (!/@pydantic[\\/]genai-prices[\\/]dist[\\/]index\.js$/.test(id)) return null;
      let out = code;
      for (const e of EDITS) {
        if (out.split(e.from).length !== 2) {
          this.warn(`@pydantic/genai-prices: "${e.name}" not applied (its code changed)`);
          continue;
        }
        out = out.replace(e.from, () => e.to);
      }
      const applies =
        !out.includes('__shimmyProviders') &&
        LAZY_DATA.every((e) => (e.at === 0 ? out.startsWith(e.from) : out.split(e.from).length === 2));
      if (applies) for (const e of LAZY_DATA) out = out.replace(e.from, () => e.to);
      else
        this.warn(
          '@pydantic/genai-prices: "bundled data parsed on first use" not applied (its code changed)',
        );
      return out === code ? null : { code: out, map: null };
    },
  };
}
