// Stage 3, route: which provider and upstream model the request goes to, checked against the
// tool's model allowlist (after aliases, so an alias cannot smuggle a model in), and the keys
// that provider has. Route comes before limits: a reservation is priced at the model really hit.
import type { Config, Tool } from '../../../../shared/config.js';
import { matchesModelGlob } from '../../route/model-glob.js';
import { resolveProvider, type RouteTarget } from '../../route/resolve-provider.js';

import type { ProxyDeps } from '../proxy-deps.js';
import { Refused } from '../refused.js';
import { routePlan } from './plan-route.js';
import type { RequestMeta } from '../request-meta.js';
import type { RecordDraft } from '../request-record.js';

export interface Routed {
  /** The model the client asked for, after the tool's model override. */
  requestedModel: string;
  target: RouteTarget;
  keys: Array<{ label: string; key: string }>;
  /** Plan traffic: the client's own credential goes to the plan's host (plan-route.ts). */
  plan?: boolean;
}

export async function routeRequest(
  deps: ProxyDeps,
  config: Config,
  tool: Tool,
  meta: RequestMeta,
  draft: RecordDraft,
): Promise<Routed> {
  // The override replaces the model a request names, and is the model of one that names none but
  // is answered by one (a Responses stored prompt's, an images default): it pins the tool.
  const requestedModel =
    tool.modelOverride && (meta.model || namesItsModel(draft.endpoint)) ? tool.modelOverride : meta.model;
  draft.model = requestedModel;
  if (tool.plan) return routePlan(config, tool, draft, requestedModel);
  const route = resolveProvider(config, draft.family, requestedModel);
  if (!route.ok) throw new Refused('route_error', route.message, 'bad_request');
  const { provider, upstreamModel } = route.target;
  draft.provider = provider.name;
  draft.model = upstreamModel;
  // The names are built only for a tool with an allowlist (most have none).
  const globs = tool.limits.models;
  // A model endpoint asked without a model is answered by one the request does not name (a
  // Responses stored prompt's, an images default): no allowlist can be checked against it.
  if (globs && globs.length > 0 && !requestedModel && namesItsModel(draft.endpoint))
    throw new Refused(
      'model_not_allowed',
      `Tool "${tool.name}" may only use the models ${globs.join(', ')}, and this request names none (a stored prompt's or a default model cannot be checked): name the model in the request.`,
      'forbidden_model',
    );
  if (
    requestedModel &&
    globs &&
    globs.length > 0 &&
    !modelAllowed(globs, [requestedModel, upstreamModel, `${provider.name}/${upstreamModel}`])
  ) {
    throw new Refused(
      'model_not_allowed',
      `Tool "${tool.name}" may not use model "${requestedModel}" (allowed: ${tool.limits.models!.join(', ')}).`,
      'forbidden_model',
    );
  }
  const keys = await deps.vault.keys(provider.name);
  if (keys.length === 0) {
    throw new Refused(
      'no_provider_key',
      `Provider "${provider.name}" has no API key. Set one with: shimmy key set ${provider.name}`,
      'no_key',
    );
  }
  return { requestedModel, target: route.target, keys };
}

/** The hops of a fallback chain the tool may be served by: the first (routed and checked above),
 *  any serving the same model, and the others only when their model is on the tool's allowlist —
 *  a tool can make its first provider fail (a 429 for a request over the account's TPM) and would
 *  otherwise be answered by a model it may not use (test/integration/allowlist-fallback.test.ts). */
export function allowedHops(tool: Tool, chain: RouteTarget[]): RouteTarget[] {
  const globs = tool.limits.models;
  if (!globs || globs.length === 0 || chain.length < 2) return chain;
  const first = chain[0]!;
  return chain.filter(
    (hop, i) =>
      i === 0 ||
      hop.upstreamModel === first.upstreamModel ||
      modelAllowed(globs, [hop.upstreamModel, `${hop.provider.name}/${hop.upstreamModel}`]),
  );
}

/** Endpoints whose answer comes from a model (everything but pass-throughs and token counts). */
const namesItsModel = (endpoint: RecordDraft['endpoint']) =>
  endpoint !== 'other' && endpoint !== 'count_tokens';

function modelAllowed(globs: readonly string[], names: string[]): boolean {
  return globs.some((g) => names.some((n) => matchesModelGlob(g, n)));
}
