// The cost of one request: its normalized Usage priced with the matched entry through
// genai-prices' calcPrice. Every billed dimension goes in; the library prices each "part of"
// count (cached, cache-written, audio, image, reasoning tokens) instead of its parent's rate, and
// a long-context tier (`tiers`) applies to the whole request once its input passes the threshold.
import { calcPrice, type ModelInfo, type ModelPrice, type Usage as CatalogUsage } from '@pydantic/genai-prices';
import { roundUsd } from '../../../shared/money.js';
import type { Usage } from '../../../shared/usage.js';
import type { CatalogProvider } from './catalog.js';
import { tierFactor } from './service-tiers.js';

/** One priced model, ready to price usages: a provider holding only that model (calcPrice then
 *  copies one model, not the provider's hundreds), plus scaled copies per tier factor. */
export interface PricedModel {
  catalogProvider: string;
  modelId: string;
  provider: CatalogProvider;
  scaled: Map<number, CatalogProvider>;
}

export function pricedModel(catalogProvider: CatalogProvider, model: ModelInfo): PricedModel {
  return {
    catalogProvider: catalogProvider.id,
    modelId: model.id,
    provider: {
      id: catalogProvider.id,
      name: catalogProvider.name,
      api_pattern: catalogProvider.api_pattern,
      models: [{ ...model, match: { equals: model.id } }],
    },
    scaled: new Map(),
  };
}

/** USD rounded with roundUsd, or null = unpriced: a tier, unit or dimension the entry has no
 *  price for is never guessed and never $0. */
export function costOf(m: PricedModel, usage: Usage, at: Date): number | null {
  const factor = tierFactor(m.catalogProvider, m.modelId, usage);
  if (factor === null) return null;
  // Images billed per image (dall-e style): the catalog has no per-image unit.
  if ((usage.images ?? 0) > 0) return null;
  const provider = factor === 1 ? m.provider : scaledProvider(m, factor);
  let result;
  try {
    result = calcPrice(catalogUsage(usage), m.modelId, { provider, timestamp: at });
  } catch {
    // Inconsistent usage (a part larger than its whole) or a malformed catalog entry.
    return null;
  }
  if (!result || !covers(result.model_price, usage)) return null;
  return roundUsd(result.total_price);
}

/** Shimmy's Usage in the library's unit names. Every count is passed, zeros included: the library
 *  refuses to split a total whose overlapping parts are missing. */
export function catalogUsage(u: Usage): CatalogUsage {
  return {
    input_tokens: u.inputTokens,
    cache_read_tokens: u.cachedInputTokens,
    cache_write_tokens: u.cacheWriteTokens,
    cache_write_1h_tokens: u.cacheWrite1hTokens ?? 0,
    input_audio_tokens: u.inputAudioTokens ?? 0,
    cache_audio_read_tokens: u.cachedInputAudioTokens ?? 0,
    input_image_tokens: u.inputImageTokens ?? 0,
    output_tokens: u.outputTokens,
    output_reasoning_tokens: u.reasoningTokens,
    output_audio_tokens: u.outputAudioTokens ?? 0,
    output_image_tokens: u.outputImageTokens ?? 0,
    web_searches: u.webSearchRequests ?? 0,
    audio_seconds: u.audioSeconds ?? 0,
    input_characters: u.characters ?? 0,
  };
}

/** Dimensions that must have their own price when present: pricing them at a parent's rate would
 *  be a guess (audio tokens at the text rate were 97% under), and a fee or unit with no price
 *  would silently count $0. Image tokens are left to the catalog: an image model's output price
 *  is its image price. */
const OWN_PRICE: ReadonlyArray<[(u: Usage) => number | undefined, readonly string[]]> = [
  [(u) => u.inputTokens, ['input_mtok']],
  [(u) => u.outputTokens, ['output_mtok']],
  [(u) => u.cacheWrite1hTokens, ['cache_write_1h_mtok']],
  [(u) => u.inputAudioTokens, ['input_audio_mtok']],
  [(u) => u.outputAudioTokens, ['output_audio_mtok']],
  [(u) => u.webSearchRequests, ['web_searches_kcount']],
  [(u) => u.audioSeconds, ['audio_hours', 'input_audio_hours']],
  [(u) => u.characters, ['input_mchars']],
];

function covers(price: ModelPrice, usage: Usage): boolean {
  return OWN_PRICE.every(([count, keys]) => !((count(usage) ?? 0) > 0) || keys.some((k) => price[k] !== undefined));
}

function scaledProvider(m: PricedModel, factor: number): CatalogProvider {
  let p = m.scaled.get(factor);
  if (!p) {
    const model = m.provider.models[0]!;
    const prices = Array.isArray(model.prices)
      ? model.prices.map((c) => ({ ...c, prices: scalePrice(c.prices, factor) }))
      : scalePrice(model.prices, factor);
    p = { ...m.provider, models: [{ ...model, prices }] };
    m.scaled.set(factor, p);
  }
  return p;
}

const exact = (x: number) => Number(x.toPrecision(12));

/** Token prices (`*_mtok`, tiers included) times factor; fees and other units unchanged. */
function scalePrice(price: ModelPrice, factor: number): ModelPrice {
  const out: ModelPrice = {};
  for (const [k, v] of Object.entries(price)) {
    if (!k.endsWith('_mtok') || v === undefined) out[k] = v;
    else if (typeof v === 'number') out[k] = exact(v * factor);
    else
      out[k] = {
        base: exact(v.base * factor),
        tiers: v.tiers.map((t) => ({ start: t.start, price: exact(t.price * factor) })),
      } as typeof v;
  }
  return out;
}
