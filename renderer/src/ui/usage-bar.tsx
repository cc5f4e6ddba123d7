// A budget or rate-limit bar: amber from 80%, red at 100%; `data-level` lets e2e tests check it.
import { usageLevel, usagePercent } from '../overview/level.js';

export function UsageBar(props: {
  label: string;
  used: number;
  limit: number;
  format: (n: number) => string;
  testId?: string;
}) {
  const { label, used, limit, format, testId } = props;
  const level = usageLevel(used, limit);
  const pct = usagePercent(used, limit);
  return (
    <div className="usage" data-testid={testId} data-level={level}>
      <div className="usage-head">
        <span>{label}</span>
        <span className="usage-nums">
          {format(used)} / {format(limit)}
        </span>
      </div>
      <div
        className="usage-track"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={Math.min(used, limit)}
        aria-valuetext={`${format(used)} of ${format(limit)}`}
      >
        <div className={`usage-fill level-${level}`} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
