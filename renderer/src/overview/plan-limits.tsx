// Subscription-plan limits on the overview: a bar per plan window (5-hour, weekly) with its reset
// time, and this week's plan traffic priced at API rates beside what the plan costs. Hidden until
// Shimmy has seen plan traffic. Windows come from the `plan` event as they change (no refetch);
// only the weekly sum is reloaded, debounced by useRoute.
import { memo, useEffect, useState } from 'react';
import type { PlansView } from '../../../shared/admin-api.js';
import type { PlanWindow } from '../../../shared/plans.js';
import { useRenderProbe, useServices } from '../api/services.js';
import { useRoute } from '../api/use-route.js';
import { formatUsd } from '../format/money.js';
import { formatCount, formatDateTime } from '../format/numbers.js';
import { UsageBar } from '../ui/usage-bar.js';

const PLAN_NAMES: Record<string, string> = { anthropic: 'Claude plan', openai: 'ChatGPT plan' };
const WINDOW_NAMES = { '5h': '5-hour window', '7d': 'Weekly window' } as const;

export const planName = (provider: string) => PLAN_NAMES[provider] ?? `${provider} plan`;

const refreshOn = (e: { type: string }) => e.type === 'plan' || e.type === 'config';

export const PlanLimits = memo(function PlanLimits() {
  useRenderProbe('plan-limits');
  const { subscribe } = useServices();
  const plans = useRoute('plans', undefined, refreshOn);
  const [pushed, setPushed] = useState<PlanWindow[]>();
  useEffect(() => subscribe((e) => e.type === 'plan' && setPushed(e.windows)), [subscribe]);
  const view = plans.data;
  const windows = pushed ?? view?.windows ?? [];
  const week = view?.week ?? [];
  if (windows.length === 0 && week.every((w) => w.requests === 0)) return null;
  const providers = [...new Set([...windows.map((w) => w.provider), ...week.map((w) => w.provider)])].sort();
  return (
    <section className="card" aria-label="Plan limits" data-testid="plan-limits">
      <h2>Plan limits</h2>
      {providers.map((p) => (
        <PlanCard
          key={p}
          provider={p}
          windows={windows.filter((w) => w.provider === p)}
          week={week.find((w) => w.provider === p)}
        />
      ))}
    </section>
  );
});

function PlanCard(props: { provider: string; windows: PlanWindow[]; week?: PlansView['week'][number] }) {
  const { locale } = useServices();
  const { provider, windows, week } = props;
  const percent = (n: number) => `${Math.round(n)}%`;
  return (
    <div className="plan" data-testid={`plan-${provider}`}>
      <h3>{planName(provider)}</h3>
      {windows.length === 0 && <p className="muted">Limits unknown: no answer has reported them yet.</p>}
      {(['5h', '7d'] as const).map((name) => {
        const w = windows.find((x) => x.window === name);
        if (!w) return null;
        return (
          <div key={name}>
            <UsageBar
              label={WINDOW_NAMES[name]}
              used={w.usedPercent}
              limit={100}
              format={percent}
              testId={`plan-bar-${provider}-${name}`}
            />
            <p className="muted small-text" data-testid={`plan-reset-${provider}-${name}`}>
              {w.resetsAt ? `Resets ${formatDateTime(w.resetsAt, locale)}` : 'Reset time unknown'}
              {w.status && w.status !== 'allowed' ? ` · ${w.status.replace(/_/g, ' ')}` : ''}
            </p>
          </div>
        );
      })}
      {week && <PlanVsApi week={week} />}
    </div>
  );
}

function PlanVsApi({ week }: { week: PlansView['week'][number] }) {
  const { locale } = useServices();
  const usd = (n: number) => formatUsd(n, locale);
  return (
    <p data-testid={`plan-vs-api-${week.provider}`}>
      Last 7 days: {formatCount(week.requests, locale)} plan request{week.requests === 1 ? '' : 's'} would
      have cost <strong>{usd(week.apiEquivalentUsd)}</strong> at API prices
      {week.unpriced > 0 ? ` (${formatCount(week.unpriced, locale)} with no known price not counted)` : ''}
      {week.planWeekUsd === null
        ? '. Set the plan’s monthly price (setting planMonthlyUsd) to compare.'
        : `; a week of the plan costs ${usd(week.planWeekUsd)}.`}
    </p>
  );
}
