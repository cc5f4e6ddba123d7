// Spend over the last 30 days, stacked by tool or by model.
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SpendBy } from '../../../shared/admin-api.js';
import { useRoute } from '../api/use-route.js';
import { useServices } from '../api/services.js';
import { formatUsd, formatUsdAxis } from '../format/money.js';
import { formatDay } from '../format/numbers.js';
import { EmptyState, ErrorNote, Loading } from '../ui/bits.js';
import { spendSeries } from './spend-series.js';

// Readable on both light and dark backgrounds.
const PALETTE = ['#4f7cff', '#f59e0b', '#10b981', '#ef4444', '#a855f7', '#06b6d4', '#ec4899', '#84cc16'];
const MAX_SERIES = PALETTE.length;

export function SpendChart() {
  const { locale } = useServices();
  const [by, setBy] = useState<SpendBy>('tool');
  const spend = useRoute('dailySpend', { query: { days: 30, by } }, (e) => e.type === 'request.end');
  const series = spend.data ? spendSeries(spend.data) : undefined;

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
          <ResponsiveContainer width="100%" height={220}>
            <BarChart data={series.data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
              <XAxis
                dataKey="day"
                tickFormatter={(d: string) => formatDay(d, locale)}
                fontSize={11}
                minTickGap={12}
              />
              <YAxis tickFormatter={(v: number) => formatUsdAxis(v, locale)} fontSize={11} width={64} />
              <Tooltip
                labelFormatter={(d) => formatDay(String(d), locale)}
                formatter={(v) => formatUsd(Number(v), locale)}
              />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {series.keys.slice(0, MAX_SERIES).map((k, i) => (
                <Bar
                  key={k}
                  name={k}
                  dataKey={(p: { values: Record<string, number> }) => p.values[k] ?? 0}
                  stackId="spend"
                  fill={PALETTE[i]}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </section>
  );
}
