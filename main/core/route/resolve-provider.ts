// route: picks the provider for a request. `provider/model` names go to that provider with the
// prefix stripped; anything else goes to the default provider of the request's API family.
import type { Config, Provider } from '../../../shared/config.js';
import type { ApiFamily } from '../../../shared/usage.js';

export interface RouteTarget {
  provider: Provider;
  /** The model name to send upstream (prefix stripped); empty when the request names none. */
  upstreamModel: string;
}

export type RouteResult = { ok: true; target: RouteTarget } | { ok: false; message: string };

export function resolveProvider(config: Config, family: ApiFamily, model: string): RouteResult {
  const slash = model.indexOf('/');
  if (slash > 0) {
    const named = config.providers.find((p) => p.name === model.slice(0, slash));
    // A model id may contain slashes itself (OpenRouter's `meta-llama/…`): only a known provider name counts.
    if (named) {
      if (named.kind !== family) {
        return {
          ok: false,
          message: `Provider "${named.name}" speaks the ${named.kind} API; this request uses the ${family} API (send it to ${family === 'openai' ? '/v1/messages' : '/v1/chat/completions'} instead, or pick a ${family} provider).`,
        };
      }
      return { ok: true, target: { provider: named, upstreamModel: model.slice(slash + 1) } };
    }
  }
  const provider = defaultProvider(config, family);
  if (!provider) {
    return {
      ok: false,
      message: `No default ${family} provider is configured. Add one with: shimmy provider add NAME --kind ${family} --base-url URL --default`,
    };
  }
  return { ok: true, target: { provider, upstreamModel: model } };
}

export function defaultProvider(config: Config, family: ApiFamily): Provider | undefined {
  const ofFamily = config.providers.filter((p) => p.kind === family);
  return ofFamily.find((p) => p.isDefault) ?? ofFamily[0];
}
