// What `shimmy price list` and the Prices page show: the user's prices, then the catalog's entries
// for the providers configured in Shimmy (not all ~2,000 of the catalog), then an older version's
// prices.json, each with its base token prices and its other units.
import { calcPrice, type ModelPrice } from '@pydantic/genai-prices';
import type { PriceView } from '../../../shared/admin-api.js';
import type { Price } from '../../../shared/prices.js';
import type { Catalog, CatalogProvider } from './catalog.js';
import { catalogProviderFor, type ServingProvider } from './catalog-provider.js';

const TOKEN_KEYS: Record<string, keyof Price> = {
  input_mtok: 'input',
  output_mtok: 'output',
  cache_read_mtok: 'cachedInput',
  cache_write_mtok: 'cacheWrite',
  cache_write_1h_mtok: 'cacheWrite1h',
};

export function listPrices(x: {
  catalog: Catalog;
  user: Record<string, Price>;
  legacy: Record<string, Price>;
  providers: readonly ServingProvider[];
  at: Date;
}): PriceView[] {
  const out: PriceView[] = Object.entries(x.user).map(([model, price]) => ({ model, price, source: 'user' }));
  const seen = new Set<CatalogProvider>();
  for (const p of x.providers) {
    const cp = catalogProviderFor(x.catalog.providers, p);
    if (!cp || seen.has(cp)) continue;
    seen.add(cp);
    for (const m of cp.models) {
      const view = catalogView(cp, m.id, x.at);
      if (view) out.push(view);
    }
  }
  for (const [model, price] of Object.entries(x.legacy)) out.push({ model, price, source: 'refreshed' });
  return out;
}

function catalogView(cp: CatalogProvider, modelId: string, at: Date): PriceView | undefined {
  const model = cp.models.find((m) => m.id === modelId)!;
  let current: ModelPrice;
  try {
    // The entry in force now (start-date and time-of-day prices), as the library picks it.
    const single = {
      ...cp,
      fallback_model_providers: [],
      models: [{ ...model, match: { equals: model.id } }],
    };
    const r = calcPrice({}, model.id, { provider: single, timestamp: at });
    if (!r) return undefined;
    current = r.model_price;
  } catch {
    return undefined;
  }
  const price: Price = { input: 0, output: 0 };
  const units: Record<string, number> = {};
  let tiered = false;
  for (const [k, v] of Object.entries(current)) {
    if (v === undefined) continue;
    const base = typeof v === 'number' ? v : v.base;
    if (typeof v !== 'number') tiered = true;
    const field = TOKEN_KEYS[k];
    if (field) price[field] = base;
    else units[k] = base;
  }
  return {
    model: model.id,
    price,
    source: 'catalog',
    provider: cp.id,
    ...(tiered ? { tiered } : {}),
    ...(Object.keys(units).length ? { units } : {}),
  };
}
