// route: picks the provider for a request. `provider/model` names go to that provider with the
// prefix stripped; anything else goes to the default provider of the request's API family.
import type { Config, Provider } from '../../../shared/config.js';
import type { ApiFamily } from '../../../shared/usage.js';
import { matchesModelGlob } from './model-glob.js';

export interface RouteTarget {
  provider: Provider;
  /** The model name to send upstream (prefix stripped); empty when the request names none. */
  upstreamModel: string;
}

export type RouteResult = { ok: true; target: RouteTarget } | { ok: false; message: string };

/** Where a request of each family goes, for the mismatch message. */
const ENTRY: Record<ApiFamily, string> = {
  openai: '/v1/chat/completions',
  anthropic: '/v1/messages',
  gemini: '/v1beta/models/{model}:generateContent',
};

function familyMismatch(p: Provider, family: ApiFamily): string {
  return `Provider "${p.name}" speaks the ${p.kind} API; this request uses the ${family} API (send it to ${ENTRY[p.kind]} instead, or pick a ${family} provider).`;
}

export function resolveProvider(config: Config, family: ApiFamily, model: string): RouteResult {
  // Aliases and rules first, so a tool can be moved to another provider without touching the tool.
  const rule = model ? config.routes.find((r) => matchesModelGlob(r.pattern, model)) : undefined;
  if (rule) {
    const p = config.providers.find((x) => x.name === rule.provider);
    if (!p)
      return {
        ok: false,
        message: `Route "${rule.pattern}" points at provider "${rule.provider}", which does not exist (shimmy route list).`,
      };
    if (p.kind !== family) return { ok: false, message: familyMismatch(p, family) };
    return { ok: true, target: { provider: p, upstreamModel: rule.model ?? model } };
  }
  const slash = model.indexOf('/');
  if (slash > 0) {
    const named = config.providers.find((p) => p.name === model.slice(0, slash));
    // A model id may contain slashes itself (OpenRouter's `meta-llama/…`): only a known provider name counts.
    if (named) {
      if (named.kind !== family) return { ok: false, message: familyMismatch(named, family) };
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

/** Most providers a request may be tried on: the routed one and its fallbacks. */
export const MAX_FALLBACK_HOPS = 3;

/** The routed target followed by its provider's fallback chain (same family, no cycles). */
export function fallbackChain(config: Config, first: RouteTarget): RouteTarget[] {
  const chain = [first];
  const seen = new Set([first.provider.name]);
  let current = first;
  while (current.provider.fallback && chain.length < MAX_FALLBACK_HOPS) {
    const spec = current.provider.fallback;
    const slash = spec.indexOf('/');
    const name = slash < 0 ? spec : spec.slice(0, slash);
    const next = config.providers.find((p) => p.name === name);
    if (!next || seen.has(name) || next.kind !== first.provider.kind) break;
    seen.add(name);
    current = { provider: next, upstreamModel: slash < 0 ? current.upstreamModel : spec.slice(slash + 1) };
    chain.push(current);
  }
  return chain;
}
