// How an OpenAI-compatible provider departs from OpenAI's usage semantics, decided once per
// request from the provider's config (its kind and base URL host). A small table, not code per
// provider: adding one adds a row. Field names that only one provider uses (DeepSeek's
// prompt_cache_hit_tokens) need no row: the readers take them wherever they appear.
import type { ApiFamily } from '../../../shared/usage.js';
import { amountOrUndefined, field, type Json } from './usage-fields.js';

export interface ProviderDialect {
  /** Short name, for logs and tests. */
  name: string;
  /** `completion_tokens_details.reasoning_tokens` is reported OUTSIDE `completion_tokens`
   *  (xAI): the reader adds it to the output. */
  reasoningOutsideOutput?: boolean;
  /** The provider's own charge in USD, read from its usage object (OpenRouter `cost`, xAI
   *  `cost_in_usd_ticks`): that is the cost. Not trusted from hosts that are not listed: another
   *  service's `cost` may be credits or another currency. */
  chargeUsd?: (usage: Json) => number | undefined;
}

/** OpenRouter's `usage.cost` (USD). With the user's own provider key (`is_byok`), `cost` is only
 *  OpenRouter's fee and the provider bills `cost_details.upstream_inference_cost` on top. */
function openRouterCharge(usage: Json): number | undefined {
  const cost = amountOrUndefined(usage.cost);
  if (cost === undefined) return undefined;
  const upstream = amountOrUndefined(field(usage.cost_details, 'upstream_inference_cost'));
  return usage.is_byok === true && upstream !== undefined ? cost + upstream : cost;
}

/** xAI's `usage.cost_in_usd_ticks` (10^10 ticks a dollar): the amount billed after discounts, its
 *  server-side tool calls included (docs.x.ai/developers/cost-tracking, read 2026-11-29). */
function xaiCharge(usage: Json): number | undefined {
  const ticks = amountOrUndefined(usage.cost_in_usd_ticks);
  return ticks === undefined ? undefined : ticks / 1e10;
}

/** Perplexity's `usage.cost.total_cost` (USD): its tokens, its per-request fee at the search
 *  context size the answer was given, and any search queries (its API's UsageInfo / Cost schemas,
 *  read 2026-11-30). The catalog alone charges every request the highest fee. */
function perplexityCharge(usage: Json): number | undefined {
  return amountOrUndefined(field(usage.cost, 'total_cost'));
}

export const STANDARD_DIALECT: ProviderDialect = Object.freeze({ name: 'standard' });

/** Host (or parent domain) of the base URL → dialect. */
const DIALECTS: ReadonlyArray<readonly [host: string, dialect: ProviderDialect]> = [
  ['api.x.ai', { name: 'xai', reasoningOutsideOutput: true, chargeUsd: xaiCharge }],
  ['api.deepseek.com', { name: 'deepseek' }],
  ['openrouter.ai', { name: 'openrouter', chargeUsd: openRouterCharge }],
  ['api.perplexity.ai', { name: 'perplexity', chargeUsd: perplexityCharge }],
];

/** genai-prices provider id (config `priceProvider`) → the same dialects. */
const BY_PRICE_PROVIDER = new Map<string, ProviderDialect>([
  ['x-ai', DIALECTS[0]![1]],
  ['deepseek', DIALECTS[1]![1]],
  ['openrouter', DIALECTS[2]![1]],
  ['perplexity', DIALECTS[3]![1]],
]);

// Decided per request: parsing the URL each time would be wasted work on the hot path.
const known = new Map<string, ProviderDialect>();

/** The dialect of a provider; the standard one for OpenAI itself, Anthropic and anything unknown. */
export function providerDialect(provider: {
  kind: ApiFamily | string;
  baseUrl: string;
  priceProvider?: string;
}): ProviderDialect {
  if (provider.kind !== 'openai') return STANDARD_DIALECT;
  // A provider configured as billed like a catalog provider (a gateway or stand-in in front of
  // xAI, OpenRouter, …) also reports usage like it.
  const declared = provider.priceProvider ? BY_PRICE_PROVIDER.get(provider.priceProvider) : undefined;
  if (declared) return declared;
  let dialect = known.get(provider.baseUrl);
  if (!dialect) {
    if (known.size >= 256) known.clear();
    dialect = dialectOfUrl(provider.baseUrl);
    known.set(provider.baseUrl, dialect);
  }
  return dialect;
}

function dialectOfUrl(baseUrl: string): ProviderDialect {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return STANDARD_DIALECT;
  }
  for (const [h, dialect] of DIALECTS) {
    if (host === h || host.endsWith(`.${h}`)) return dialect;
  }
  return STANDARD_DIALECT;
}
