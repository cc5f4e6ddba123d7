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
      return out === code ? null : { code: out, map: null };
    },
  };
}
