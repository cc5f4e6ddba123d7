// The recharts part of the 30-day chart, in its own chunk (loaded on demand: recharts is most of the
// dashboard's JavaScript). Memoized: it redraws only when its series changes.
import { memo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useRenderProbe } from '../api/services.js';
import { formatUsd, formatUsdAxis } from '../format/money.js';
import { formatDay } from '../format/numbers.js';
import type { SpendSeries } from './spend-series.js';

// Readable on both light and dark backgrounds.
const PALETTE = ['#4f7cff', '#f59e0b', '#10b981', '#ef4444', '#a855f7', '#06b6d4', '#ec4899', '#84cc16'];
const MAX_SERIES = PALETTE.length;

function SpendBars({ series, locale }: { series: SpendSeries; locale: string | undefined }) {
  useRenderProbe('spend-bars');
  return (
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
            // No animation: today's column moves with every spend push (4 a second on a busy proxy),
            // and each animation redraws the chart on every frame until the next push starts another.
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

type Props = Parameters<typeof SpendBars>[0];
// Redrawn only when what it draws changed: a series recomputed with the same numbers (a push that
// did not touch this grouping's column) is the same chart. 30 days × 8 series: cheap to compare.
const sameChart = (a: Props, b: Props) =>
  a.locale === b.locale && JSON.stringify(a.series) === JSON.stringify(b.series);

export default memo(SpendBars, sameChart);
