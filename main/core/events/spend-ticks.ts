// The `spend` event: after requests settle (or config changes), at most one per tick however many
// requests end, carrying the whole overview and today's chart column. Dashboards and the tray update
// from it instead of refetching, so their cost does not grow with the request rate.
import type { Overview } from '../../../shared/overview.js';
import type { ShimmyEvent } from '../../../shared/events.js';
import type { EventBus } from './event-bus.js';

export interface SpendTickDeps {
  events: EventBus;
  overview(): Overview;
  daySpend(day: string): { byTool: Record<string, number>; byModel: Record<string, number> };
  tickMs: number;
}

/** Events after which what the overview shows may have changed. */
const changesSpend = (e: ShimmyEvent) =>
  e.type === 'request.end' || e.type === 'config' || e.type === 'alert.blocked';

/** Returns a stop function (clears a pending tick). */
export function startSpendTicks(deps: SpendTickDeps): () => void {
  let timer: NodeJS.Timeout | null = null;
  const tick = () => {
    timer = null;
    // Nobody but this ticker listens (`shimmy serve` with no dashboard or tray open): building the
    // overview 4 times a second would be for no one. A dashboard that connects later fetches it.
    if (deps.events.listeners <= 1) return;
    const overview = deps.overview();
    deps.events.emit({
      type: 'spend',
      todayUsd: overview.todayUsd,
      monthUsd: overview.monthUsd,
      overview,
      todaySpend: { day: overview.today, ...deps.daySpend(overview.today) },
    });
  };
  const unsubscribe = deps.events.subscribe((e) => {
    if (timer || !changesSpend(e)) return;
    timer = setTimeout(tick, deps.tickMs);
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
