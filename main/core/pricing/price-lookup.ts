// Prices for a request: the user's own price (config.prices) always wins, then the catalog entry of
// the provider that served it, then an older version's prices.json by exact name. A dated snapshot
// (`gpt-5-2025-08-07`, `claude-sonnet-4-5-20250929`) matches its model through the catalog's own
// match rules, and a name the provider lists for a catalog entry that does not match it is looked
// up as that entry (listed-names.ts); there is no other fallback to a shorter name. No match =
// undefined = unpriced.
import { calcPrice, type ModelInfo } from '@pydantic/genai-prices';
import type { Price, PriceSource } from '../../../shared/prices.js';
import { roundUsd } from '../../../shared/money.js';
import type { Usage } from '../../../shared/usage.js';
import type { Catalog, CatalogProvider } from './catalog.js';
import { catalogProviderFor, type ServingProvider } from './catalog-provider.js';
import { withClaudeOneHourWrite } from './claude-one-hour-write.js';
import { costOf, inputTierStarts, pricedModel, type PricedModel } from './price-usage.js';
import { containerUsdPerGb } from './container-fees.js';
import { listedAs } from './listed-names.js';
import { perRequestSearchUsd } from './search-fees.js';
import { userModelInfo } from './user-price.js';
import { XAI, xaiCallsUsd } from './xai-tool-fees.js';

export interface PriceQuery {
  provider: ServingProvider;
  model: string;
  /** When the request was made: start-date and time-of-day prices (DeepSeek off-peak) use it. */
  at: Date;
}

export interface PriceMatch {
  /** The model name asked about. */
  model: string;
  /** The entry that matched: a catalog model id, or the user's / legacy key. */
  key: string;
  source: PriceSource;
  /** Catalog provider id whose prices (and tier rules) apply. */
  provider: string;
  at: Date;
  /** From the catalog, when it has it: the budget stage bounds a worst case with it. */
  contextWindow?: number;
  /** USD per search of a model that runs one on every request (search-fees.ts); undefined: none. */
  searchUsd?: number;
  readonly priced: PricedModel;
}

export interface PriceSources {
  catalog: () => Catalog;
  user: () => Record<string, Price>;
  legacy: () => Record<string, Price>;
}

export interface Prices {
  lookup(q: PriceQuery): PriceMatch | undefined;
  /** The catalog in use (for `price list` and the Prices page). */
  catalog(): Catalog;
}

/** Input-token thresholds past which the matched price charges a long-context tier (none: []). */
export function tierStarts(match: PriceMatch): number[] {
  return inputTierStarts(match.priced, match.at);
}

/** Exact USD (roundUsd) of `usage`, or null = unpriced. A provider's own reported charge
 *  (OpenRouter `usage.cost`) is the cost whether or not a price matched. */
export function priceUsage(match: PriceMatch | undefined, usage: Usage): number | null {
  if (usage.providerCostUsd !== undefined) return roundUsd(usage.providerCostUsd);
  if (!match) return null;
  // Code interpreter containers, per session by memory (container-fees.ts); never $0 where the
  // provider's fee is unknown.
  const containers = usage.containers ?? 0;
  if (containers > 0) {
    const perGb = containerUsdPerGb(match.provider);
    const rest = perGb === undefined ? null : priceUsage(match, { ...usage, containers: 0 });
    if (rest === null || perGb === undefined) return null;
    return roundUsd(rest + containers * (usage.containerMemoryGb ?? 1) * perGb);
  }
  // xAI's tool calls, per call (xai-tool-fees.ts): an answer without cost_in_usd_ticks shows them
  // only as output items, and the catalog has no rate for them.
  if (match.provider === XAI) {
    const calls = xaiCallsUsd(usage);
    if (calls > 0) {
      const tokens = costOf(
        match.priced,
        { ...usage, webSearchRequests: 0, fileSearchCalls: 0, codeExecutionCalls: 0 },
        match.at,
      );
      return tokens === null ? null : roundUsd(tokens + calls);
    }
  }
  // A model that searches on every request: at least one search, at its own fee (search-fees.ts).
  const searchUsd = match.searchUsd;
  if (searchUsd === undefined) return costOf(match.priced, usage, match.at);
  const tokens = costOf(match.priced, { ...usage, webSearchRequests: 0 }, match.at);
  return tokens === null ? null : roundUsd(tokens + searchUsd * Math.max(1, usage.webSearchRequests ?? 0));
}

const MAX_CACHED = 5000;
const DATE_SUFFIX = /-(?:\d{4}-\d{2}-\d{2}|\d{8})$/;

interface Found {
  key: string;
  source: PriceSource;
  provider: string;
  contextWindow?: number;
  searchUsd?: number;
  priced: PricedModel;
}

export function createPrices(sources: PriceSources): Prices {
  // Matching walks a provider's match rules (hundreds at OpenRouter): remembered per
  // (provider, model) until the catalog or the user's prices change.
  let memo = new Map<string, Found | null>();
  let memoOf: { catalog: Catalog; user: Record<string, Price>; legacy: Record<string, Price> } | undefined;

  function find(q: PriceQuery): Found | null {
    const catalog = sources.catalog();
    const user = sources.user();
    const legacy = sources.legacy();
    if (
      memoOf?.catalog !== catalog ||
      memoOf.user !== user ||
      memoOf.legacy !== legacy ||
      memo.size > MAX_CACHED
    ) {
      memo = new Map();
      memoOf = { catalog, user, legacy };
    }
    const p = q.provider;
    const cacheKey = `${p.name}\u0000${p.kind}\u0000${p.baseUrl}\u0000${p.priceProvider ?? ''}\u0000${q.model}`;
    let found = memo.get(cacheKey);
    if (found === undefined) {
      found = withSearchFee(resolve(catalog, user, legacy, q), q.model) ?? null;
      memo.set(cacheKey, found);
    }
    return found;
  }

  return {
    lookup(q) {
      const f = find(q);
      if (!f) return undefined;
      return {
        model: q.model,
        key: f.key,
        source: f.source,
        provider: f.provider,
        at: q.at,
        ...(f.contextWindow !== undefined ? { contextWindow: f.contextWindow } : {}),
        ...(f.searchUsd !== undefined ? { searchUsd: f.searchUsd } : {}),
        priced: f.priced,
      };
    },
    catalog: sources.catalog,
  };
}

function resolve(
  catalog: Catalog,
  user: Record<string, Price>,
  legacy: Record<string, Price>,
  q: PriceQuery,
): Found | undefined {
  const cp = catalogProviderFor(catalog.providers, q.provider);
  const billing: CatalogProvider = cp ?? {
    id: q.provider.name,
    name: q.provider.name,
    api_pattern: '',
    models: [],
  };
  const ownPrice = (
    table: Record<string, Price>,
    source: PriceSource,
    prefixes: string[],
  ): Found | undefined => {
    for (const key of candidates(q.model, prefixes)) {
      const price = lookupKey(table, key);
      if (price) {
        const info = userModelInfo(key, price, q.provider.kind);
        return { key, source, provider: billing.id, priced: pricedModel(billing, info) };
      }
    }
    return undefined;
  };
  const mine = ownPrice(user, 'user', [q.provider.name]);
  if (mine) return mine;
  if (cp) {
    const listed = listedAs(cp.id, q.model);
    const hit =
      catalogModel(catalog.providers, cp, q.model) ??
      (listed === undefined ? undefined : catalogModel(catalog.providers, cp, listed));
    if (hit)
      return {
        key: hit.model.id,
        source: 'catalog',
        provider: hit.provider.id,
        ...(hit.model.context_window ? { contextWindow: hit.model.context_window } : {}),
        priced: pricedModel(hit.provider, withClaudeOneHourWrite(hit.model)),
      };
  }
  return ownPrice(legacy, 'refreshed', cp ? [cp.id] : []);
}

/** A model that searches on every request is billed its search whatever priced its tokens. */
function withSearchFee(found: Found | undefined, model: string): Found | undefined {
  const searchUsd = found && perRequestSearchUsd(found.provider, model);
  return searchUsd === undefined ? found : { ...found!, searchUsd };
}

/** `provider/model` keys first (a price for one provider only), then the model, each also without
 *  a date suffix. */
function candidates(model: string, prefixes: string[]): string[] {
  const names = [model];
  const undated = model.replace(DATE_SUFFIX, '');
  if (undated !== model) names.push(undated);
  return [...prefixes.flatMap((p) => names.map((n) => `${p}/${n}`)), ...names];
}

function lookupKey(table: Record<string, Price>, key: string): Price | undefined {
  if (Object.hasOwn(table, key)) return table[key];
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(table)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** The catalog's own matching (match rules, date normalization) on one provider, then on the
 *  providers it names as fallbacks (Vertex → Anthropic models). */
function catalogModel(
  all: readonly CatalogProvider[],
  provider: CatalogProvider,
  model: string,
): { provider: CatalogProvider; model: ModelInfo } | undefined {
  const chain = [
    provider,
    ...(provider.fallback_model_providers ?? []).flatMap((id) => all.filter((p) => p.id === id)),
  ];
  for (const p of chain) {
    try {
      // Zero usage: only the match is wanted. The provider is passed without its fallbacks so the
      // library never reaches for its own global copy of the data.
      const r = calcPrice({}, model, { provider: { ...p, fallback_model_providers: [] } });
      if (r) return { provider: p, model: r.model };
    } catch {
      // A malformed entry: that model stays unpriced.
    }
  }
  return undefined;
}
