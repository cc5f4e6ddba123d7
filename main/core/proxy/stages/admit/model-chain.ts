// Step 1 of admit: the models that may serve the request — the routed one, its route's fallbacks,
// and those the body itself names (body-fallbacks.ts) — and the cost function a reservation is
// priced with. Under a USD budget, a chain Shimmy cannot price is refused here.
import type { Provider, Tool } from '../../../../../shared/config.js';
import type { Endpoint } from '../../../../../shared/usage.js';
import { bodyFallbacks, countingModel, type BodyFallbacks } from '../../../limits/body-fallbacks.js';
import type { CostOf } from '../../../limits/output-cap.js';
import type { PriceMatch, Prices } from '../../../pricing/index.js';
import type { RouteTarget } from '../../../route/resolve-provider.js';
import { carriesAudioInput } from '../../audio-input.js';
import { costFunction, dearerOutput } from './chain-cost.js';
import { unnamedFallbacksRefusal, unpricedRefusal } from './refusals.js';

export interface ModelChain {
  /** The routed model's price. */
  price: PriceMatch | undefined;
  /** The fallback models the body names. */
  named: BodyFallbacks;
  /** Every model after the routed one that may serve some of the request: the route's fallbacks
   *  and the body's one-of fallbacks, then the body's in-turn ones. */
  chain: readonly RouteTarget[];
  /** The prices of `chain`, in its order: looked up only under a USD budget (else empty). */
  fallbackPrices: ReadonlyArray<PriceMatch | undefined>;
  /** What a hypothetical usage of the request may cost; undefined when it cannot be priced. */
  cost: CostOf | undefined;
  /** The model its input is counted as: a Claude model of the chain when one may serve it, whose
   *  tokenizer counts more (countingModel), else the routed one. */
  countAs: string;
}

export interface ChainRequest {
  tool: Tool;
  endpoint: Endpoint;
  time: Date;
  json: unknown;
  provider: Provider;
  model: string;
  /** Where the request may go if the routed provider fails (its fallback chain). */
  fallbacks: readonly RouteTarget[];
  /** A USD budget applies (fallback prices matter only then). */
  budgeted: boolean;
  /** The endpoint's answers cost money per token (metered). */
  metered: boolean;
}

const NO_PRICES: readonly PriceMatch[] = [];

export function priceModelChain(prices: Prices, x: ChainRequest): ModelChain {
  const { tool, endpoint, json, model, budgeted } = x;
  const price = model ? prices.lookup({ provider: x.provider, model, at: x.time }) : undefined;
  // The models the body itself names for the provider to fall back to (body-fallbacks.ts), at the
  // routed provider: one of them may serve it as a route fallback does, or each run in turn.
  const named = bodyFallbacks(endpoint, json);
  const at = (m: string): RouteTarget => ({ provider: x.provider, upstreamModel: m });
  const oneOf = named.oneOf.length > 0 ? [...x.fallbacks, ...named.oneOf.map(at)] : x.fallbacks;
  const chain = named.inTurn.length > 0 ? [...oneOf, ...named.inTurn.map(at)] : oneOf;
  // Fallback prices matter only to a USD budget; an unpriced fallback makes the request
  // unpriced too (it could be served there), refused like any unpriced model.
  const fallbackPrices =
    budgeted && chain.length > 0
      ? chain.map((t) =>
          t.upstreamModel
            ? prices.lookup({ provider: t.provider, model: t.upstreamModel, at: x.time })
            : undefined,
        )
      : NO_PRICES;
  const unpricedFallback =
    fallbackPrices.length > 0 ? chain[fallbackPrices.findIndex((p) => p === undefined)] : undefined;
  const cost = unpricedFallback
    ? undefined
    : costFunction(
        price,
        fallbackPrices.length === 0 ? NO_PRICES : pricedAll(fallbackPrices.slice(0, oneOf.length)),
        dearerOutput(endpoint, json, model, chain),
        // A walk of the messages: only where a budget will price the reservation.
        budgeted && carriesAudioInput(endpoint, json),
        fallbackPrices.length === 0 ? NO_PRICES : pricedAll(fallbackPrices.slice(oneOf.length)),
      );
  if (budgeted && x.metered && !cost && !tool.limits.allowUnpriced)
    throw unpricedRefusal(tool, unpricedFallback && price ? unpricedFallback.upstreamModel : model);
  if (budgeted && x.metered && named.unnamed && !tool.limits.allowUnpriced)
    throw unnamedFallbacksRefusal(tool, named.unnamed);
  const countAs =
    chain.length > 0
      ? countingModel(
          model,
          chain.map((t) => t.upstreamModel),
        )
      : model;
  return { price, named, chain, fallbackPrices, cost, countAs };
}

const pricedAll = (list: ReadonlyArray<PriceMatch | undefined>) =>
  list.filter((p): p is PriceMatch => p !== undefined);

/** The routed model and every model of its chain, for what the smallest or widest of them bounds. */
export const chainModels = (model: string, chain: readonly RouteTarget[]): string[] => [
  model,
  ...chain.map((t) => t.upstreamModel),
];
