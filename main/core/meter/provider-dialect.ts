// How an OpenAI-compatible provider departs from OpenAI's usage semantics, decided once per
// request from the provider's config (its kind and base URL host). A small table, not code per
// provider: adding one adds a row. Field names that only one provider uses (DeepSeek's
// prompt_cache_hit_tokens) need no row: the readers take them wherever they appear.
import type { ApiFamily } from '../../../shared/usage.js';

export interface ProviderDialect {
  /** Short name, for logs and tests. */
  name: string;
  /** `completion_tokens_details.reasoning_tokens` is reported OUTSIDE `completion_tokens`
   *  (xAI): the reader adds it to the output. */
  reasoningOutsideOutput?: boolean;
  /** `usage.cost` is the provider's own charge in USD (OpenRouter). Not trusted from hosts that
   *  are not listed: another service's `cost` may be credits or another currency. */
  usageCostUsd?: boolean;
}

export const STANDARD_DIALECT: ProviderDialect = Object.freeze({ name: 'standard' });

/** Host (or parent domain) of the base URL → dialect. */
const DIALECTS: ReadonlyArray<readonly [host: string, dialect: ProviderDialect]> = [
  ['api.x.ai', { name: 'xai', reasoningOutsideOutput: true }],
  ['api.deepseek.com', { name: 'deepseek' }],
  ['openrouter.ai', { name: 'openrouter', usageCostUsd: true }],
];

// Decided per request: parsing the URL each time would be wasted work on the hot path.
const known = new Map<string, ProviderDialect>();

/** The dialect of a provider; the standard one for OpenAI itself, Anthropic and anything unknown. */
export function providerDialect(provider: { kind: ApiFamily | string; baseUrl: string }): ProviderDialect {
  if (provider.kind !== 'openai') return STANDARD_DIALECT;
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
