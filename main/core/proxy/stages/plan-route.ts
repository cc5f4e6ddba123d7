// Plan traffic: a tool that logs in with its own subscription keeps its own credential. Its
// request goes to the plan's official host for its API family and nowhere else — no route rule,
// provider prefix or fallback can send it elsewhere, because the credential belongs to that
// provider alone. Shimmy forwards the credential and never stores, logs, caches or shows it.
import type { IncomingHttpHeaders } from 'node:http';
import { DEFAULT_PLAN_HOSTS, type Config, type Tool } from '../../../../shared/config.js';
import type { PlanWindowName } from '../../../../shared/plans.js';
import type { ApiFamily } from '../../../../shared/usage.js';
import type { PlanTracker } from '../../plans/plan-tracker.js';
import { matchesModelGlob } from '../../route/model-glob.js';
import { resolveProvider } from '../../route/resolve-provider.js';
import { Refused } from '../refused.js';
import type { RecordDraft } from '../request-record.js';
import type { Routed } from './route-request.js';

/** Families that have subscription plans, and the provider name their plan is shown under. */
const PLAN_PROVIDER: Partial<Record<ApiFamily, 'anthropic' | 'openai'>> = {
  anthropic: 'anthropic',
  openai: 'openai',
};

export function planProviderOf(family: ApiFamily): 'anthropic' | 'openai' | undefined {
  return PLAN_PROVIDER[family];
}

export function routePlan(config: Config, tool: Tool, draft: RecordDraft, requestedModel: string): Routed {
  const provider = planProviderOf(draft.family);
  if (!provider)
    throw new Refused(
      'route_error',
      `Tool "${tool.name}" uses its own plan login, and the ${draft.family} API has no plan Shimmy can pass through.`,
      'bad_request',
    );
  const host = (config.settings.planHosts ?? DEFAULT_PLAN_HOSTS)[provider];
  // A rule or `provider/model` that points elsewhere is refused, never followed: the plan
  // credential may only reach its own provider. A plain model name goes to the plan's host.
  const elsewhere = redirectedTo(config, requestedModel, provider);
  if (elsewhere) {
    throw new Refused(
      'route_error',
      `Tool "${tool.name}" uses its own ${provider} plan login; model "${requestedModel}" is routed to provider "${elsewhere}", and a plan credential is only ever sent to ${host}.`,
      'bad_request',
    );
  }
  const route = requestedModel ? resolveProvider(config, draft.family, requestedModel) : undefined;
  const upstreamModel =
    route?.ok && route.target.provider.name === provider ? route.target.upstreamModel : requestedModel;
  draft.provider = provider;
  draft.model = upstreamModel;
  return {
    requestedModel,
    target: { provider: { name: provider, kind: draft.family, baseUrl: host }, upstreamModel },
    keys: [{ label: 'plan', key: '' }],
    plan: true,
  };
}

/** The client's own credential headers, as sent, for its plan's host. A Shimmy token is never
 *  among them (the tool sends that in `x-shimmy-token`). */
export function planCredentialHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['authorization', 'x-api-key'] as const) {
    const v = headers[name];
    if (typeof v === 'string' && v !== '' && !/\bshm_/.test(v)) out[name] = v;
  }
  return out;
}

/** "Stop at N% of the 5-hour window": refused with the reset time, in the client's format. */
export function checkPlanWindow(tool: Tool, family: ApiFamily, plans: PlanTracker): void {
  const max = tool.limits.planMaxPercent5h;
  const provider = planProviderOf(family);
  if (!tool.plan || max === undefined || !provider) return;
  const w = plans.get(provider, '5h' satisfies PlanWindowName);
  if (!w || w.usedPercent < max) return;
  const resets = w.resetsAt ? ` It resets at ${w.resetsAt}.` : '';
  const retry: Record<string, string> = { 'x-should-retry': 'false' };
  if (w.resetsAt) {
    const seconds = Math.max(1, Math.ceil((Date.parse(w.resetsAt) - Date.now()) / 1000));
    retry['retry-after'] = String(seconds);
  }
  throw new Refused(
    'plan_limit',
    `Tool "${tool.name}" stops at ${max}% of the ${provider} plan's 5-hour window, which is ${w.usedPercent}% used.${resets}`,
    'rate_limit',
    retry,
  );
}

/** The provider a route rule or a `provider/` prefix sends the model to, when not the plan's. */
function redirectedTo(config: Config, model: string, planProvider: string): string | undefined {
  if (!model) return undefined;
  const rule = config.routes.find((r) => matchesModelGlob(r.pattern, model));
  if (rule) return rule.provider === planProvider ? undefined : rule.provider;
  const slash = model.indexOf('/');
  const named = slash > 0 ? config.providers.find((p) => p.name === model.slice(0, slash)) : undefined;
  return named && named.name !== planProvider ? named.name : undefined;
}
