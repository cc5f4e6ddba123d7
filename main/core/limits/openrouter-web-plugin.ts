// OpenRouter's web plugin (`plugins: [{id: "web"}]`, or `:online` after the model's name) adds web
// results to the prompt and bills them apart from the tokens: "$4 per 1000 results. By default,
// max_results set to 5, this comes out to a maximum of $0.02 per request"
// (openrouter.ai/docs/features/web-search, Pricing, read 2026-11-30). The answer's `usage.cost`
// holds the fee, but a reservation priced from the catalog held none: two Llama 3.1 8B requests
// with the plugin billed $0.040126 on a $0.035 budget (openrouter-web-plugin-budget.test.ts). The
// results the plugin may fetch are reserved here; where it uses the model provider's native search
// (`engine: "native"`, the default for Anthropic, OpenAI, Perplexity and xAI models) OpenRouter
// passes that provider's own search price through, which this does not bound.
import { addUsd } from '../../../shared/money.js';
import type { PriceMatch } from '../pricing/index.js';
import type { CostOf } from './output-cap.js';
import { positiveInt } from './output-limit-field.js';

const USD_PER_RESULT = 0.004;
const DEFAULT_RESULTS = 5;

/** USD the web plugin may bill for its results on this request; 0 without the plugin or outside
 *  OpenRouter. */
export function webPluginUsd(price: PriceMatch | undefined, model: string, body: unknown): number {
  if (price?.provider !== 'openrouter' || typeof body !== 'object' || body === null) return 0;
  const plugins = (body as { plugins?: unknown }).plugins;
  const web = Array.isArray(plugins)
    ? (plugins as unknown[]).find(
        (p): p is Record<string, unknown> =>
          typeof p === 'object' && p !== null && (p as { id?: unknown }).id === 'web',
      )
    : undefined;
  if (!web && !model.endsWith(':online')) return 0;
  return (positiveInt(web?.max_results) ?? DEFAULT_RESULTS) * USD_PER_RESULT;
}

/** `cost` with the web plugin's fee added to every usage (every answer may carry it). */
export function withWebPlugin(
  cost: CostOf | undefined,
  price: PriceMatch | undefined,
  model: string,
  body: unknown,
): CostOf | undefined {
  const usd = cost ? webPluginUsd(price, model, body) : 0;
  if (!cost || usd === 0) return cost;
  return (u) => {
    const tokens = cost(u);
    return tokens === null ? null : addUsd(tokens, usd);
  };
}
