// Spend over the last 30 days, stacked by tool or by model. Fetched once per grouping; today's
// column then follows the `spend` events (no refetch per request), and the bars (recharts, loaded on
// demand) redraw only when the series really changed.
import { lazy, memo, Suspense, useEffect, useMemo, useState } from 'react';
import type { SpendBy } from '../../../shared/admin-api.js';
import type { DaySpend } from '../../../shared/events.js';
import { useRoute } from '../api/use-route.js';
import { useRenderProbe, useServices } from '../api/services.js';
import { EmptyState, ErrorNote, Loading } from '../ui/bits.js';
import { keepUnchanged } from '../ui/keep-unchanged.js';
import { spendSeries, withDay } from './spend-series.js';

const SpendBars = lazy(() => import('./spend-bars.js'));

/**
 * Today's column follows the pushes at most this often. A busy proxy pushes four times a second,
 * and each redraw of the chart (recharts: SVG layout, text measuring, software raster in a headless
 * or GPU-less browser) cost about 0.1 s of CPU: four a second kept a dashboard busy a third of a
 * core. The tiles and the tool cards above still follow every push.
 */
export const CHART_LIVE_MS = 5_000;

// Memoized (no props): it renders for its own state only, never because the overview above changed.
export const SpendChart = memo(function SpendChart() {
  useRenderProbe('spend-chart');
  const { locale, subscribe } = useServices();
  const [by, setBy] = useState<SpendBy>('tool');
  const spend = useRoute('dailySpend', { query: { days: 30, by } });
  const [today, setToday] = useState<DaySpend>();
  useEffect(() => {
    // The first push is shown at once, then the latest one at most every CHART_LIVE_MS.
    let latest: DaySpend | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = -Infinity;
    const apply = () => {
      timer = undefined;
      last = Date.now();
      const next = latest;
      if (next) setToday((prev) => keepUnchanged(prev, next));
    };
    const off = subscribe((e) => {
      if (e.type !== 'spend' || !e.todaySpend) return;
      latest = e.todaySpend;
      timer ??= setTimeout(apply, Math.max(0, last + CHART_LIVE_MS - Date.now()));
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [subscribe]);

  const { data } = spend;
  const pushed = today?.[by === 'tool' ? 'byTool' : 'byModel'];
  // A pushed day past the fetched window means the day rolled over: fetch the new window once.
  const stale = data !== undefined && today !== undefined && today.day > (data.days.at(-1) ?? '');
  const { reload } = spend;
  useEffect(() => {
    if (stale) reload();
  }, [stale, reload]);
  const series = useMemo(
    () => (data ? spendSeries(today && pushed ? withDay(data, today.day, pushed) : data) : undefined),
    [data, today?.day, pushed], // eslint-disable-line react-hooks/exhaustive-deps -- today's other half is not shown
  );

  return (
    <section className="card" aria-labelledby="chart-title">
      <div className="card-head">
        <h2 id="chart-title">Last 30 days</h2>
        <div className="toggle" role="group" aria-label="Stack spend by">
          {(['tool', 'model'] as const).map((b) => (
            <button
              key={b}
              type="button"
              className="small"
              aria-pressed={by === b}
              data-testid={`chart-by-${b}`}
              onClick={() => setBy(b)}
            >
              By {b}
            </button>
          ))}
        </div>
      </div>
      <ErrorNote error={spend.error} />
      {!series && !spend.error && <Loading />}
      {series && series.total === 0 && (
        <EmptyState title="No spend in the last 30 days" testId="chart-empty">
          <p>Requests through Shimmy show up here, one bar per day.</p>
        </EmptyState>
      )}
      {series && series.total > 0 && (
        <div className="chart" data-testid="spend-chart">
          <Suspense fallback={<Loading />}>
            <SpendBars series={series} locale={locale} />
          </Suspense>
        </div>
      )}
    </section>
  );
});
