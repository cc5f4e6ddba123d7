// Plan traffic in the ledger and in the plan view: the answer's plan headers update the
// utilization Shimmy shows, and the record keeps what the request would have cost on the API
// apart from its cost (0: the plan paid), so USD budgets and spend totals never count it.
import type { ApiFamily } from '../../../../shared/usage.js';
import { readPlanHeaders } from '../../plans/read-plan-headers.js';
import type { ProxyDeps } from '../proxy-deps.js';
import type { RecordDraft } from '../request-record.js';
import { planProviderOf } from './plan-route.js';

export function recordPlanWindows(
  deps: ProxyDeps,
  family: ApiFamily,
  headers: Record<string, string | string[] | undefined>,
): void {
  const provider = planProviderOf(family);
  if (!provider) return;
  const now = deps.now();
  deps.plans.record(provider, readPlanHeaders(headers, now), now);
}

export function markPlanRecord(draft: RecordDraft): void {
  draft.plan = true;
  draft.apiEquivalentUsd = draft.costUsd;
  draft.costUsd = 0;
}
