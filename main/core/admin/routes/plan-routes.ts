// GET /api/plans: the latest plan windows, and the last 7 days of plan traffic priced at API
// rates beside a week of what the plan costs.
import type { Express } from 'express';
import type { PlansView } from '../../../../shared/admin-api.js';
import type { AdminDeps } from '../admin-deps.js';
import { defineRoute } from '../define-route.js';

const WEEK_MS = 7 * 24 * 3600_000;
const WEEKS_PER_MONTH = 365.25 / 12 / 7;

export function registerPlanRoutes(app: Express, deps: AdminDeps): void {
  defineRoute(app, 'plans', async (): Promise<PlansView> => {
    const since = new Date(deps.now().getTime() - WEEK_MS);
    // One aggregate over the plan rows' index (it read up to 50 pages of 1,000 records before).
    const byProvider = new Map(
      (await deps.ledger.planTraffic(since)).map((r) => [
        r.provider,
        { requests: r.requests, usd: r.apiEquivalentUsd, unpriced: r.unpriced },
      ]),
    );
    const monthly = deps.config.get().settings.planMonthlyUsd ?? {};
    const providers = new Set([...byProvider.keys(), ...deps.plans.list().map((w) => w.provider)]);
    return {
      windows: deps.plans.list(),
      week: [...providers].sort().map((provider) => {
        const row = byProvider.get(provider) ?? { requests: 0, usd: 0, unpriced: 0 };
        const plan = monthly[provider];
        return {
          provider,
          requests: row.requests,
          apiEquivalentUsd: Math.round(row.usd * 1e6) / 1e6,
          unpriced: row.unpriced,
          planWeekUsd: plan === undefined ? null : Math.round((plan / WEEKS_PER_MONTH) * 100) / 100,
        };
      }),
    };
  });
}
