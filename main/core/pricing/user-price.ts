// A user's price (config.prices, or an older version's prices.json) as a catalog model entry, so
// one cost function prices both. Missing cache prices follow WIRE-FACTS: Anthropic bills cache
// reads at 0.1×, 5-minute writes at 1.25× and 1-hour writes at 2× the input price
// (https://platform.claude.com/docs/en/build-with-claude/prompt-caching#pricing); elsewhere an
// unpriced cache token costs the input rate (the library's rule for a missing sub-price).
import type { ModelInfo, ModelPrice } from '@pydantic/genai-prices';
import type { Price } from '../../../shared/prices.js';
import type { ApiFamily } from '../../../shared/usage.js';

const exact = (x: number) => Number(x.toPrecision(12));

export function userModelInfo(key: string, price: Price, family: ApiFamily): ModelInfo {
  const anthropic = family === 'anthropic';
  const prices: ModelPrice = { input_mtok: price.input, output_mtok: price.output };
  const read = price.cachedInput ?? (anthropic ? exact(price.input * 0.1) : undefined);
  const write = price.cacheWrite ?? (anthropic ? exact(price.input * 1.25) : undefined);
  const write1h = price.cacheWrite1h ?? (anthropic ? exact(price.input * 2) : undefined);
  if (read !== undefined) prices.cache_read_mtok = read;
  if (write !== undefined || write1h !== undefined) prices.cache_write_mtok = write ?? price.input;
  if (write1h !== undefined) prices.cache_write_1h_mtok = write1h;
  return { id: key, match: { equals: key }, prices };
}
