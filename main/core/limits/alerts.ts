// Which alerts are due: budget thresholds once per scope, threshold and period; "blocked" at most
// once a minute per tool and reason. Kept in memory: without a seeded fired-set, a restart may
// re-fire the current period's thresholds once. Across replicas this set only spares the shared
// claim (redis/alert-claims.ts) a round-trip per settle: the claim is what makes an alert fire
// once for the whole gateway.
import type { BudgetAlertEvent, ToolBlockedEvent } from '../../../shared/events.js';
import { roundUsd } from '../../../shared/money.js';
import type { ScopeUse } from './budgets.js';
import type { FiredAlert } from './types.js';

export const THRESHOLDS = [50, 80, 100] as const;
export const BLOCKED_THROTTLE_MS = 60_000;

const firedKey = (a: FiredAlert) => JSON.stringify([a.scope.tool, a.scope.period, a.periodKey, a.threshold]);

export class BudgetAlerts {
  private readonly fired = new Set<string>();

  constructor(seed: Iterable<FiredAlert> = []) {
    for (const a of seed) this.fired.add(firedKey(a));
  }

  /** The alerts the spend in `uses` has newly reached, lowest threshold first; marks them fired. */
  due(uses: readonly ScopeUse[], at: Date): BudgetAlertEvent[] {
    const events: BudgetAlertEvent[] = [];
    for (const u of uses) {
      for (const threshold of THRESHOLDS) {
        if (u.spentUsd < roundUsd((u.limitUsd * threshold) / 100)) break;
        const alert: FiredAlert = { scope: { ...u.scope }, threshold, periodKey: u.periodKey };
        const key = firedKey(alert);
        if (this.fired.has(key)) continue;
        this.fired.add(key);
        events.push({
          type: 'alert.budget',
          ...alert,
          spentUsd: u.spentUsd,
          limitUsd: u.limitUsd,
          time: at.toISOString(),
        });
      }
    }
    return events;
  }

  /** Not fired after all (its shared claim could not be made): due again on the next settle. */
  forget(alert: FiredAlert): void {
    this.fired.delete(firedKey(alert));
  }
}

export class BlockedThrottle {
  private readonly last = new Map<string, number>();

  /** The event to emit for this refusal, or null when one went out for the same tool and reason within a minute. */
  next(tool: string, reason: ToolBlockedEvent['reason'], message: string, at: Date): ToolBlockedEvent | null {
    const key = `${tool}\u0000${reason}`;
    const prev = this.last.get(key);
    const nowMs = at.getTime();
    if (prev !== undefined && nowMs - prev < BLOCKED_THROTTLE_MS && nowMs >= prev) return null;
    this.last.set(key, nowMs);
    return { type: 'alert.blocked', tool, reason, message, time: at.toISOString() };
  }
}
