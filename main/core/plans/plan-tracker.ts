// The latest plan utilization per provider and window, fed from answers as they pass, and the
// alerts when a window crosses a threshold. Kept in memory: it is the providers' number, re-read
// on every plan answer, and nothing of the credential that produced it is ever kept.
import type { PlanWindow, PlanWindowName } from '../../../shared/plans.js';
import type { PlanReading } from './read-plan-headers.js';

export interface PlanAlert {
  provider: string;
  window: PlanWindowName;
  percent: number;
  usedPercent: number;
  resetsAt: string | null;
}

export interface PlanTracker {
  record(provider: string, readings: PlanReading[], now: Date): void;
  list(): PlanWindow[];
  get(provider: string, window: PlanWindowName): PlanWindow | undefined;
}

export const DEFAULT_PLAN_ALERT_PERCENTS = [80, 95];

export function createPlanTracker(deps: {
  alertPercents: () => number[];
  onChange: (windows: PlanWindow[]) => void;
  onAlert: (alert: PlanAlert) => void;
}): PlanTracker {
  const windows = new Map<string, PlanWindow>();
  const key = (provider: string, window: PlanWindowName) => `${provider}:${window}`;
  return {
    record(provider, readings, now) {
      if (readings.length === 0) return;
      for (const r of readings) {
        const before = windows.get(key(provider, r.window));
        const next: PlanWindow = {
          provider,
          window: r.window,
          usedPercent: r.usedPercent,
          resetsAt: r.resetsAt ? r.resetsAt.toISOString() : null,
          ...(r.status ? { status: r.status } : {}),
          seenAt: now.toISOString(),
        };
        windows.set(key(provider, r.window), next);
        // A window that reset starts below the thresholds again, so each alert fires once per window.
        const previous = before && before.resetsAt === next.resetsAt ? before.usedPercent : 0;
        const crossed = deps
          .alertPercents()
          .filter((p) => previous < p && next.usedPercent >= p)
          .sort((a, b) => b - a)[0];
        if (crossed !== undefined)
          deps.onAlert({
            provider,
            window: r.window,
            percent: crossed,
            usedPercent: next.usedPercent,
            resetsAt: next.resetsAt,
          });
      }
      deps.onChange([...windows.values()]);
    },
    list: () =>
      [...windows.values()].sort(
        (a, b) => a.provider.localeCompare(b.provider) || a.window.localeCompare(b.window),
      ),
    get: (provider, window) => windows.get(key(provider, window)),
  };
}
