// The cost of one request: its normalized Usage priced with the matched entry through
// genai-prices' calcPrice. Every billed dimension goes in; the library prices each "part of"
// count (cached, cache-written, audio, image, reasoning tokens) instead of its parent's rate, and
// a long-context tier (`tiers`) applies to the whole request once its input passes the threshold.
import {
  calcPrice,
  type ModelInfo,
  type ModelPrice,
  type Usage as CatalogUsage,
} from '@pydantic/genai-prices';
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
  /** Per-unit rates of the plain token dimensions, per price entry and tier band (see rates()). */
  rates: WeakMap<ModelPrice, Map<number, Rates | null>>;
  /** The entry in force (and its minute) per provider copy, for models with start-date /
   *  time-of-day prices. */
  entryAt: WeakMap<CatalogProvider, { minute: number; entry: ModelPrice }>;
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
    rates: new WeakMap(),
    entryAt: new WeakMap(),
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
  if (plainTokens(usage)) {
    const fast = fastCost(m, provider, usage, at);
    if (fast !== undefined) return fast;
  }
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
    storage_searches: u.fileSearchCalls ?? 0,
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
  [(u) => u.fileSearchCalls, ['storage_searches_kcount']],
  // Priced only at xAI (xai-tool-fees.ts), never by a catalog entry.
  [(u) => u.codeExecutionCalls, []],
  [(u) => u.audioSeconds, ['audio_hours', 'input_audio_hours']],
  [(u) => u.characters, ['input_mchars']],
];

function covers(price: ModelPrice, usage: Usage): boolean {
  return OWN_PRICE.every(
    ([count, keys]) => !((count(usage) ?? 0) > 0) || keys.some((k) => price[k] !== undefined),
  );
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

// ---- The fast path ----
// calcPrice costs ~50 µs (it re-derives the unit lattice on every call), and a request is priced
// at admission, at the end, and on stream chunks under a budget. For usage made only of plain
// token counts the cost is linear in those counts within one price entry and one long-context
// band, so the library is asked once per (entry, band) for the per-unit rates — by pricing probe
// usages — and the request is their weighted sum. Anything else (audio, images, units) goes the
// slow path through calcPrice itself.

/** USD per million units (tokens, or searches) of each dimension. */
interface Rates {
  input: number;
  cachedInput: number;
  cacheWrite: number;
  cacheWrite1h: number;
  output: number;
  reasoning: number;
  webSearch: number;
  /** USD per request, whatever its counts (Perplexity's `requests_kcount`). */
  request: number;
  keys: ModelPrice;
}

function plainTokens(u: Usage): boolean {
  return !(
    u.inputAudioTokens ||
    u.cachedInputAudioTokens ||
    u.inputImageTokens ||
    u.outputAudioTokens ||
    u.outputImageTokens ||
    u.audioSeconds ||
    u.characters ||
    u.fileSearchCalls ||
    u.codeExecutionCalls
  );
}

const MINUTE = 60_000;

function fastCost(m: PricedModel, provider: CatalogProvider, u: Usage, at: Date): number | null | undefined {
  // The library's own consistency rules: a part never larger than its whole.
  const written1h = u.cacheWrite1hTokens ?? 0;
  if (u.cachedInputTokens + u.cacheWriteTokens > u.inputTokens || written1h > u.cacheWriteTokens) return null;
  if (u.reasoningTokens > u.outputTokens) return null;
  const entry = activeEntry(m, provider, at);
  if (!entry) return undefined;
  const band = bandOf(entry, u.inputTokens);
  let byBand = m.rates.get(entry);
  if (!byBand) m.rates.set(entry, (byBand = new Map()));
  let r = byBand.get(band);
  if (r === undefined) {
    r = probeRates(m, provider, at, Math.max(1, u.inputTokens));
    byBand.set(band, r);
  }
  if (!r || !covers(r.keys, u)) return r ? null : undefined;
  // Rates are per million tokens (per thousand calls), so a count times a rate stays a short
  // decimal and one division ends it: per-token rates (3e-6) times millions of tokens left
  // $3.0000000001 after roundUsd.
  const perMillion =
    u.inputTokens * r.input +
    u.cachedInputTokens * r.cachedInput +
    u.cacheWriteTokens * r.cacheWrite +
    written1h * r.cacheWrite1h +
    u.outputTokens * r.output +
    u.reasoningTokens * r.reasoning +
    (u.webSearchRequests ?? 0) * r.webSearch;
  return roundUsd(perMillion / 1e6 + r.request);
}

function activeEntry(m: PricedModel, provider: CatalogProvider, at: Date): ModelPrice | undefined {
  const prices = provider.models[0]!.prices;
  if (!Array.isArray(prices)) return prices;
  const minute = Math.floor(at.getTime() / MINUTE);
  const known = m.entryAt.get(provider);
  if (known?.minute === minute) return known.entry;
  let entry: ModelPrice | undefined;
  try {
    entry = calcPrice({}, m.modelId, { provider, timestamp: at })?.model_price;
  } catch {
    return undefined;
  }
  if (entry) m.entryAt.set(provider, { minute, entry });
  return entry;
}

/** The input-token thresholds of the long-context tiers in the entry in force at `at`: past one,
 *  the whole request is priced at its tier (none: []). */
export function inputTierStarts(m: PricedModel, at: Date): number[] {
  const entry = activeEntry(m, m.provider, at);
  if (!entry) return [];
  const starts: number[] = [];
  for (const v of Object.values(entry))
    if (v && typeof v === 'object')
      for (const t of v.tiers) if (!starts.includes(t.start)) starts.push(t.start);
  return starts;
}

/** Which long-context band `input` falls in: how many tier thresholds it passes. */
function bandOf(price: ModelPrice, input: number): number {
  let band = 0;
  for (const v of Object.values(price))
    if (v && typeof v === 'object') for (const t of v.tiers) if (input > t.start) band++;
  return band;
}

/** Marginal rates, each from the library: (f(base + k units of a dimension) − f(base)) / k, where
 *  the base is `input` input tokens (same band as the request). null = the entry cannot be priced. */
function probeRates(m: PricedModel, provider: CatalogProvider, at: Date, input: number): Rates | null {
  const f = (extra: Partial<Usage>, inputTokens = input) => {
    const u: Usage = {
      inputTokens,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
      ...extra,
    };
    const r = calcPrice(catalogUsage(u), m.modelId, { provider, timestamp: at });
    if (!r) throw new Error('no price');
    return { total: r.total_price, keys: r.model_price };
  };
  // Each rate is a difference of two library totals, which carries their float error: probed by
  // one unit, 3e-6 came back as 3.0000000000000003e-6 and a million tokens recorded
  // $3.0000000001. So each part is probed at the size of its whole (the request's input; a million
  // output tokens; a thousand searches), where that error is far below the rate's digits, and the
  // rate per million is snapped to 12 significant digits. The band is that of `input`: output and
  // calls do not move it.
  const M = 1e6;
  const perMillion = (usd: number, units: number) => exact((usd / units) * M);
  try {
    // A fee per request is in every total, the empty one's too: taken apart, not spread over the
    // probe's input (a Perplexity sonar request of 100,000 tokens was priced $1.301, its 12¢ fee
    // at 13× the input rate, where $0.113 is right).
    const request = f({}, 0).total;
    const base = f({});
    const write = f({ cacheWriteTokens: input }).total;
    const out = f({ outputTokens: M }).total;
    return {
      request,
      input: perMillion(base.total - request, input),
      cachedInput: perMillion(f({ cachedInputTokens: input }).total - base.total, input),
      cacheWrite: perMillion(write - base.total, input),
      cacheWrite1h: perMillion(
        f({ cacheWriteTokens: input, cacheWrite1hTokens: input }).total - write,
        input,
      ),
      output: perMillion(out - base.total, M),
      reasoning: perMillion(f({ outputTokens: M, reasoningTokens: M }).total - out, M),
      webSearch: perMillion(f({ webSearchRequests: 1000 }).total - base.total, 1000),
      keys: base.keys,
    };
  } catch {
    return null;
  }
}
