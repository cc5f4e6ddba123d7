// Step 3a of admit: what a request may cost beyond its tokens, per call the provider makes for it —
// server-side web searches, images from the Responses image generation tool, code interpreter
// containers, xAI's tool fees, OpenRouter's web plugin — folded into the cost function the
// reservation prices, and the bound on those calls (max_tool_calls, an Anthropic tool's max_uses)
// that admit may lower to what the budget can pay for.
import type { Provider, Tool } from '../../../../../shared/config.js';
import { ZERO_USAGE, type ApiFamily, type Endpoint } from '../../../../../shared/usage.js';
import { codeInterpreterContainers, withContainers } from '../../../limits/code-interpreter-containers.js';
import { reserveImageTool, withImagePrompts } from '../../../limits/image-tool-calls.js';
import type { CostOf } from '../../../limits/output-cap.js';
import { builtInToolCalls, webSearchUses, type WebSearchUses } from '../../../limits/web-search-uses.js';
import { webPluginUsd, withWebPlugin } from '../../../limits/openrouter-web-plugin.js';
import { billedAsXai, withXaiToolCalls } from '../../../limits/xai-tool-calls.js';
import type { PriceMatch } from '../../../pricing/index.js';
import type { RouteTarget } from '../../../route/resolve-provider.js';
import type { ProxyDeps } from '../../proxy-deps.js';
import { isObject } from '../../request-meta.js';
import {
  containersUnpricedRefusal,
  nativeSearchRefusal,
  serverToolRefusal,
  unpricedRefusal,
} from './refusals.js';

/** The bound on a request's billed calls, which admit may lower and then writes upstream. */
export interface CallsBound {
  /** Calls it may make uncapped. */
  calls: number;
  /** Members to write when the request named no bound (the default Shimmy chose). */
  edits?: Record<string, string>;
  /** The members that bound it to `n` calls. */
  write: (n: number) => Record<string, string>;
  /** The fewest it may be lowered to (one per Anthropic web search tool); 1 when unset. */
  floor?: number;
}

export interface BilledCalls {
  /** Server-side web searches it may run, each billed apart (web-search-uses.ts). */
  searches: WebSearchUses;
  /** The cost of a usage with every fee per call in it; undefined where the model is unpriced. */
  tokensCost: CostOf | undefined;
  /** Images the image generation tool may make, and each one's worst case. */
  maxImages: number;
  perImageUsd: number;
  bound: CallsBound | undefined;
  /** Calls it may make uncapped (0 without a bound). */
  maxCalls: number;
  /** The bound the request named itself (none when Shimmy writes the default). */
  namedCalls: number | undefined;
}

/** The request as steps 3a and 3b price it (step 1's model chain and price). */
export interface PricedRequest {
  tool: Tool;
  family: ApiFamily;
  endpoint: Endpoint;
  json: unknown;
  provider: Provider;
  model: string;
  /** Its fallback chain, and the prices of the models on it. */
  chain: readonly RouteTarget[];
  fallbackPrices: ReadonlyArray<PriceMatch | undefined>;
  at: Date;
  price: PriceMatch | undefined;
  cost: CostOf | undefined;
  /** A USD budget prices the request: without one no call is counted or priced. */
  priced: boolean;
}

/** The calls billed apart of a request no budget prices: none counted, no bound to write, and no
 *  fee wrappers built (only pricing reads them). */
const NO_BILLED_CALLS: BilledCalls = {
  searches: { uses: 0 },
  tokensCost: undefined,
  maxImages: 0,
  perImageUsd: 0,
  bound: undefined,
  maxCalls: 0,
  namedCalls: undefined,
};

export function billedCalls(deps: ProxyDeps, x: PricedRequest): BilledCalls {
  if (!x.priced) return NO_BILLED_CALLS;
  const { tool, endpoint, json, price } = x;
  const xai = billedAsXai(price);
  const searches = webSearchUses(x.family, endpoint, json, xai);
  // Images the Responses image generation tool may make, each billed at the image model's price
  // wherever the request is served (image-tool-calls.ts). An unpriced image model is refused like
  // an unpriced model, or reserved at $0 where the tool allows unpriced ones (its answer is then
  // unpriced too).
  const images = reserveImageTool(endpoint, json, {
    prices: deps.prices,
    providers: [x.provider, ...x.chain.map((t) => t.provider)],
    at: x.at,
  });
  if (images && 'unpriced' in images && !tool.limits.allowUnpriced)
    throw unpricedRefusal(tool, images.unpriced);
  const perImageUsd = images && 'usd' in images ? images.perImageUsd : 0;
  // The prompts the model writes for them are output the image model reads as well.
  const withPrompts =
    images && 'usd' in images && x.cost ? withImagePrompts(x.cost, images.promptUsd) : x.cost;
  // Code interpreter containers the request may create, each billed per session by its memory
  // (at xAI the tool is billed per call instead: withXaiToolCalls).
  const containers = !xai ? codeInterpreterContainers(endpoint, json) : undefined;
  // OpenRouter's web plugin: Exa's results reserved, a native search (no bound) refused.
  const webPlugin = webPluginUsd(price, x.model, json);
  if (typeof webPlugin !== 'number' && !tool.limits.allowUnpriced)
    throw webPlugin === 'native'
      ? nativeSearchRefusal(tool, x.model)
      : serverToolRefusal(tool, webPlugin.serverTool);
  const withFees = withWebPlugin(withXaiToolCalls(withPrompts, price, json), webPlugin);
  const tokensCost = containers && withFees ? withContainers(withFees, containers) : withFees;
  if (containers && tokensCost?.({ ...ZERO_USAGE }) === null && !tool.limits.allowUnpriced)
    throw containersUnpricedRefusal(tool, x.provider.name);
  const maxImages = images && 'usd' in images ? images.images : 0;
  // The Responses API's built-in tool calls, each a billed search and/or an image, bounded by
  // max_tool_calls (the client's, or the one Shimmy writes), and an Anthropic web search tool's
  // max_uses: as many as the budget can pay for, up to that bound, as the output limit is sized —
  // lowered, not refused, while one call fits.
  const bound: CallsBound | undefined =
    endpoint === 'responses' && (searches.uses > 0 || maxImages > 0) && isObject(json)
      ? { ...builtInToolCalls(json), write: (n: number) => ({ max_tool_calls: String(n) }) }
      : searches.withUses
        ? { calls: searches.uses, edits: searches.edits, write: searches.withUses, floor: searches.minUses }
        : undefined;
  return {
    searches,
    tokensCost,
    maxImages,
    perImageUsd,
    bound,
    maxCalls: bound?.calls ?? 0,
    namedCalls: bound && !bound.edits ? bound.calls : undefined,
  };
}
