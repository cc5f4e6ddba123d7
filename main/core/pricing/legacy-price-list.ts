// prices.json: the LiteLLM-derived list an older Shimmy saved from `price refresh` ({ model: Price }).
// It still loads, but only as exact names behind the catalog (see price-lookup.ts): its entries
// ignore the provider, which is how it priced `mistral-large-latest` at Azure's price.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { PriceSchema, type Price } from '../../../shared/prices.js';

/** Missing or damaged file => {}; invalid entries are dropped. */
export async function loadLegacyPrices(file: string): Promise<Record<string, Price>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return {};
  }
  const table = z.record(z.string(), z.unknown()).safeParse(raw);
  if (!table.success) return {};
  const prices: Record<string, Price> = {};
  for (const [model, entry] of Object.entries(table.data)) {
    const price = PriceSchema.safeParse(entry);
    if (price.success) prices[model.toLowerCase()] = price.data;
  }
  return prices;
}
