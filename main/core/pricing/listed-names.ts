// Names a provider lists or documents for a model that the catalog's entry for it does not match,
// each with the catalog entry the provider prices it as. Not a fallback to a shorter name (issue 11 forbids
// guessing): only exact names the provider's own pages list, each beside its source; a name not here
// and not in the catalog stays unpriced. Consulted only when the catalog matches nothing, so a
// refreshed catalog that learns a name prices it itself.
//
// xAI: "grok-4.20-0309-reasoning 2M $1.25 $0.20 $2.50", "grok-4.20-0309-non-reasoning 2M $1.25
// $0.20 $2.50" (input / cached input / output per 1M, docs.x.ai/developers/pricing, read
// 2026-11-30), which docs.x.ai/developers/models/grok-4.20-0309 gives as the model `grok-4.20`
// (among its aliases) with the higher rates from 200k prompt tokens: the bundled catalog's
// `grok-4.20` entry, which matches only that name. The same page lists
// `grok-4.20-multi-agent-0309` at the same $1.25 / $0.20 / $2.50, a row of the same 2M Grok 4.20
// family, so it is priced as that entry too. The catalog's own `grok-4.20-multi-agent` entry
// ($2 / $0.20 / $6) is the beta's price (`grok-4.20-multi-agent-beta-0309`, as third-party lists
// copied from LiteLLM still show it): xAI, the publisher, is the source that decides. That entry
// keeps pricing the undated name it matches; the dated name is mapped here, exactly — a near miss
// (another date, a `-beta-` name) stays unpriced.
const LISTED: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([
  [
    'x-ai',
    new Map([
      ['grok-4.20-0309-reasoning', 'grok-4.20'],
      ['grok-4.20-0309-non-reasoning', 'grok-4.20'],
      ['grok-4.20-multi-agent-0309', 'grok-4.20'],
    ]),
  ],
]);

/** OpenRouter: "`:online` is a shortcut for using the web plugin, and is exactly equivalent to" the
 *  model without it with `plugins: [{id: "web"}]` (openrouter.ai/docs/features/web-search, read
 *  2026-11-30): its tokens are the model's, its search fee apart (limits/openrouter-web-plugin.ts). */
export const ONLINE = ':online';

/** The catalog model name `model` is listed as at `catalogProvider`, or undefined. */
export function listedAs(catalogProvider: string, model: string): string | undefined {
  if (catalogProvider === 'openrouter' && model.endsWith(ONLINE) && model.length > ONLINE.length)
    return model.slice(0, -ONLINE.length);
  return LISTED.get(catalogProvider)?.get(model);
}
