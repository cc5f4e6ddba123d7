// OpenRouter's web plugin (`plugins: [{id: "web"}]`, or `:online` after the model's name, "exactly
// equivalent to" it) adds web results to the prompt and bills them apart from the tokens. With
// Exa's engine: "$4 per 1000 results. By default, max_results set to 5, this comes out to a maximum
// of $0.02 per request" (openrouter.ai/docs/features/web-search, Pricing, read 2026-11-30). The
// answer's `usage.cost` holds the fee, but a reservation priced from the catalog held none: two
// Llama 3.1 8B requests with the plugin billed $0.040126 on a $0.035 budget
// (openrouter-web-plugin-budget.test.ts). Those results are reserved here.
// The plugin "is powered by native search for Anthropic, OpenAI, Perplexity, and xAI models" (the
// default engine for them, or `engine: "native"` for any), whose "pricing is passed through
// directly from the provider" (same page): per search, as many as the model runs, which nothing in
// the request bounds. Such a request cannot be kept within a budget: it is refused there unless it
// asks for Exa (openrouter-native-search-budget.test.ts: two Claude requests billed $0.181 on $0.10).
import { addUsd } from '../../../shared/money.js';
import type { PriceMatch } from '../pricing/index.js';
import { ONLINE } from '../pricing/listed-names.js';
import type { CostOf } from './output-cap.js';
import { positiveInt } from './output-limit-field.js';

const USD_PER_RESULT = 0.004;
const DEFAULT_RESULTS = 5;
/** Model makers whose models OpenRouter searches for with their own search by default. */
const NATIVE_BY_DEFAULT = /^(?:anthropic|openai|perplexity|x-ai)\//;

/** Web use Shimmy cannot bound: a search at the model provider's price, or the server tools (named). */
export type UnboundedWeb = 'native' | { serverTool: string };

/** What the web plugin may bill on this request: Exa's results in USD (0 without the plugin or
 *  outside OpenRouter), or what cannot be bounded (UnboundedWeb). */
export function webPluginUsd(
  price: PriceMatch | undefined,
  model: string,
  body: unknown,
): number | UnboundedWeb {
  if (price?.provider !== 'openrouter' || typeof body !== 'object' || body === null) return 0;
  const serverTool = serverToolOf(body);
  if (serverTool) return { serverTool };
  const web = webPluginOf(body);
  if (!web && !model.endsWith(ONLINE)) return 0;
  // Exa when asked for, or by default for the models without a native search; any other engine
  // (native, or one Shimmy does not know the price of) as native.
  const engine = web?.engine;
  const exa = engine === 'exa' || (engine === undefined && !NATIVE_BY_DEFAULT.test(model));
  if (!exa) return 'native';
  return (positiveInt(web?.max_results) ?? DEFAULT_RESULTS) * USD_PER_RESULT;
}

/** OpenRouter's `openrouter:web_search` and `openrouter:web_fetch` server tools: the model calls
 *  them "0 to N times per request" (openrouter.ai/announcements/agentic-web-tools, stored copy
 *  read 2026-11-30), each call billed at its engine's price — by default `auto`, the model
 *  provider's own search or fetch where it has one, "passed through directly from the provider" —
 *  and a fetch's engine "Exa: No hard limit" (openrouter.ai/docs/guides/features/server-tools/
 *  web-fetch, stored copy read 2026-11-30). No field Shimmy can rely on bounds every engine's
 *  calls and price, so such a request is refused under a budget like a native search (answered
 *  with the same error: its way out, Exa's web plugin, is reserved). */
/** The request's web plugin (`plugins: [{id: "web", …}]`), if it asks for one. */
export function webPluginOf(body: object): Record<string, unknown> | undefined {
  const plugins = (body as { plugins?: unknown }).plugins;
  if (!Array.isArray(plugins)) return undefined;
  return (plugins as unknown[]).find(
    (p): p is Record<string, unknown> =>
      typeof p === 'object' && p !== null && (p as { id?: unknown }).id === 'web',
  );
}

function serverToolOf(body: object): string | undefined {
  const tools = (body as { tools?: unknown }).tools;
  if (!Array.isArray(tools)) return undefined;
  for (const t of tools) {
    const type = typeof t === 'object' && t !== null ? (t as { type?: unknown }).type : undefined;
    if (type === 'openrouter:web_search' || type === 'openrouter:web_fetch') return type;
  }
  return undefined;
}

/** `cost` with the web plugin's fee (webPluginUsd) added to every usage (every answer may carry
 *  it); `cost` itself for a native search, which has no fee to reserve. */
export function withWebPlugin(cost: CostOf | undefined, usd: number | UnboundedWeb): CostOf | undefined {
  if (!cost || typeof usd !== 'number' || usd === 0) return cost;
  return (u) => {
    const tokens = cost(u);
    return tokens === null ? null : addUsd(tokens, usd);
  };
}
