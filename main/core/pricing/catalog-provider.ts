// Which catalog provider bills a request: the one the serving provider's config names
// (`priceProvider`), else the one whose api_pattern matches its base URL (api.deepseek.com →
// deepseek, openrouter.ai → openrouter), else the first party of its API family (a gateway or
// local server speaking the OpenAI or Anthropic API). Never guessed from the model name.
import type { ApiFamily } from '../../../shared/usage.js';
import type { CatalogProvider } from './catalog.js';

export interface ServingProvider {
  /** Shimmy's name for it (user prices may be scoped as `name/model`). */
  name: string;
  kind: ApiFamily;
  baseUrl: string;
  /** A catalog provider id chosen in the provider's config. */
  priceProvider?: string;
}

const FIRST_PARTY: Record<ApiFamily, string> = { openai: 'openai', anthropic: 'anthropic', gemini: 'google' };

export function catalogProviderFor(
  providers: readonly CatalogProvider[],
  p: Pick<ServingProvider, 'kind' | 'baseUrl' | 'priceProvider'>,
): CatalogProvider | undefined {
  if (p.priceProvider) return providers.find((c) => c.id === p.priceProvider);
  const byUrl = providers.find((c) => apiPattern(c).test(p.baseUrl));
  return byUrl ?? providers.find((c) => c.id === FIRST_PARTY[p.kind]);
}

const patterns = new WeakMap<CatalogProvider, RegExp>();
function apiPattern(c: CatalogProvider): RegExp {
  let re = patterns.get(c);
  if (!re) {
    // Anchored at the start like the library's own findProvider({ providerApiUrl }).
    re = new RegExp(`^(?:${c.api_pattern})`);
    patterns.set(c, re);
  }
  return re;
}
