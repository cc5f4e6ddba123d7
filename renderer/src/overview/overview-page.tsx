// The first thing people see: what was spent today and this month, and how close each tool is to
// its limits.
import type { Overview, ToolOverview } from '../../../shared/admin-api.js';
import { errorMessage } from '../api/client.js';
import { useRenderProbe, useServices } from '../api/services.js';
import { formatUsd } from '../format/money.js';
import { formatCount } from '../format/numbers.js';
import { EmptyState, ErrorNote, Loading } from '../ui/bits.js';
import { UsageBar } from '../ui/usage-bar.js';
import { PlanLimits } from './plan-limits.js';
import { SpendChart } from './spend-chart.js';
import { useOverview } from './use-overview.js';
import { memo, useState } from 'react';

export function OverviewPage() {
  useRenderProbe('overview-page');
  const overview = useOverview();
  const o = overview.data;
  const later = o !== undefined || overview.error !== undefined;
  return (
    <div className="page" data-testid="page-overview">
      <h1 className="page-title">Overview</h1>
      <ErrorNote error={overview.error} />
      {!o && !overview.error && <Loading />}
      {o && (
        <Summary
          todayUsd={o.todayUsd}
          monthUsd={o.monthUsd}
          requestsLastMinute={o.requestsLastMinute}
          unpricedToday={o.unpricedToday}
          paused={o.paused}
          global={o.global}
          reload={overview.reload}
        />
      )}
      {/* The plan windows and the 30-day chart are ledger queries (0.3–0.6 s at 1M records on a busy
          machine, on the one query thread the request list's first page also waits on): asked for
          once the tiles and cards have their roll-up answer (scripts/bench/dashboard-render.mjs). */}
      {later && <PlanLimits />}
      {o && o.tools.length === 0 && <NoTools />}
      {o && o.tools.length > 0 && (
        // Inline, not a list component: a push that changed one tool renders that card alone.
        <section aria-label="Tools" className="tool-cards">
          {o.tools.map((t) => (
            <ToolCard key={t.name} t={t} />
          ))}
        </section>
      )}
      {later && <SpendChart />}
    </div>
  );
}

interface SummaryProps {
  todayUsd: number;
  monthUsd: number;
  requestsLastMinute: number;
  unpricedToday: number;
  paused: boolean;
  global: Overview['global'];
  reload: () => void;
}

// Memoized with plain props: a pushed overview that changed only a tool card leaves it alone.
const Summary = memo(function Summary(o: SummaryProps) {
  useRenderProbe('summary');
  const { client, locale } = useServices();
  const [error, setError] = useState<string>();
  const usd = (n: number) => formatUsd(n, locale);
  const resume = () =>
    client
      .call('patchSettings', { body: { paused: false } })
      .then(o.reload, (e: unknown) => setError(errorMessage(e)));
  return (
    <>
      {o.paused && (
        <div className="banner warn" role="status" data-testid="paused-banner">
          The proxy is paused: every tool's requests are refused.
          <button type="button" className="small" onClick={resume}>
            Resume
          </button>
        </div>
      )}
      <ErrorNote error={error} />
      <section className="tiles" aria-label="Spend">
        <div className="tile" data-testid="spend-today">
          <span className="tile-label">Today</span>
          <span className="tile-value">{usd(o.todayUsd)}</span>
        </div>
        <div className="tile" data-testid="spend-month">
          <span className="tile-label">This month</span>
          <span className="tile-value">{usd(o.monthUsd)}</span>
        </div>
        <div className="tile" data-testid="requests-per-minute">
          <span className="tile-label">Requests / min</span>
          <span className="tile-value">{formatCount(o.requestsLastMinute, locale)}</span>
        </div>
      </section>
      {o.unpricedToday > 0 && (
        <p className="banner info" data-testid="unpriced-note">
          {o.unpricedToday} request{o.unpricedToday === 1 ? '' : 's'} today used a model with no known price;
          they are not in these totals. Add a price on the Prices page.
        </p>
      )}
      {(o.global.day || o.global.month) && (
        <section className="card" aria-label="Global budget">
          <h2>All tools</h2>
          {o.global.day && (
            <UsageBar
              label="Daily budget"
              used={o.global.day.spentUsd}
              limit={o.global.day.limitUsd}
              format={usd}
              testId="budget-bar-global-day"
            />
          )}
          {o.global.month && (
            <UsageBar
              label="Monthly budget"
              used={o.global.month.spentUsd}
              limit={o.global.month.limitUsd}
              format={usd}
              testId="budget-bar-global-month"
            />
          )}
        </section>
      )}
    </>
  );
});

const NoTools = memo(function NoTools() {
  return (
    <EmptyState title="No tools yet" testId="overview-empty">
      <p>
        Create a tool on the <a href="#/tools">Tools</a> page: it gets its own token, budget and rate limits,
        and its spend shows up here.
      </p>
    </EmptyState>
  );
});

const ToolCard = memo(function ToolCard({ t }: { t: ToolOverview }) {
  useRenderProbe(`tool-card:${t.name}`);
  const { locale } = useServices();
  const usd = (n: number) => formatUsd(n, locale);
  const count = (n: number) => formatCount(n, locale);
  const noLimits = !t.day && !t.month && !t.rpm && !t.tpm;
  return (
    <article className="card tool-card" data-testid={`tool-card-${t.name}`} aria-label={t.name}>
      <div className="card-head">
        <h2>
          {t.name} {t.paused && <span className="badge warn">paused</span>}
        </h2>
        <span className="muted">
          {usd(t.todayUsd)} today · {usd(t.monthUsd)} month
        </span>
      </div>
      {(t.unpricedMonth ?? 0) > 0 && (
        <p className="badge warn" data-testid={`spend-incomplete-${t.name}`}>
          Spend incomplete: {count(t.unpricedMonth ?? 0)} request{t.unpricedMonth === 1 ? '' : 's'} this month
          used a model with no known price (not counted above)
        </p>
      )}
      {t.day && (
        <UsageBar
          label="Today"
          used={t.day.spentUsd}
          limit={t.day.limitUsd}
          format={usd}
          testId={`budget-bar-${t.name}-day`}
        />
      )}
      {t.month && (
        <UsageBar
          label="This month"
          used={t.month.spentUsd}
          limit={t.month.limitUsd}
          format={usd}
          testId={`budget-bar-${t.name}-month`}
        />
      )}
      {t.rpm && (
        <UsageBar
          label="Requests / min"
          used={t.rpm.used}
          limit={t.rpm.limit}
          format={count}
          testId={`rate-bar-${t.name}-rpm`}
        />
      )}
      {t.tpm && (
        <UsageBar
          label="Tokens / min"
          used={t.tpm.used}
          limit={t.tpm.limit}
          format={count}
          testId={`rate-bar-${t.name}-tpm`}
        />
      )}
      {noLimits && (
        <p className="muted small-text">
          No limits set. <a href="#/tools">Set a budget</a>
        </p>
      )}
    </article>
  );
});
