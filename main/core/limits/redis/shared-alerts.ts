// Budget alerts once per gateway, not once per replica. Every replica settles into the same shared
// spend, so each one that settles after a threshold is crossed sees it crossed; the first to
// SET NX the alert's key in Redis sends it (event and webhook), the others stay quiet. The key
// outlives the period by a day (as the budget's does), so a restarted replica does not send the
// period's alerts again either. The local fired-set only spares a round-trip per settle.
import type { Redis } from 'ioredis';
import type { BudgetAlertEvent } from '../../../../shared/events.js';
import { BudgetAlerts } from '../alerts.js';
import type { ScopeUse } from '../budgets.js';
import type { FiredAlert } from '../types.js';
import { budgetTtlMs } from './redis-keys.js';

export interface SharedAlertsDeps {
  redis: Redis;
  /** The Redis key of one alert (scope, period key, threshold). */
  key: (alert: FiredAlert) => string;
  seed?: Iterable<FiredAlert> | undefined;
  /** Emit and POST: called once per alert across every replica sharing the Redis. */
  send: (event: BudgetAlertEvent) => void;
  log: (message: string) => void;
}

export interface SharedAlerts {
  /** Sends the alerts `uses` newly reached that no replica has claimed yet, lowest first. */
  fire(uses: readonly ScopeUse[], at: Date, timeZone: string): void;
}

export function createSharedAlerts(deps: SharedAlertsDeps): SharedAlerts {
  const local = new BudgetAlerts(deps.seed);
  return {
    fire(uses, at, timeZone) {
      // One connection answers in order: claims sent in threshold order are sent in that order.
      for (const event of local.due(uses, at)) {
        const ttl = budgetTtlMs(at, timeZone, event.scope.period);
        deps.redis.set(deps.key(event), event.time, 'PX', ttl, 'NX').then(
          (reply) => {
            if (reply === 'OK') deps.send(event);
          },
          // Unclaimed, so unsent: due again on the next settle that reaches Redis, rather than
          // sent now and perhaps by another replica too.
          (err: unknown) => {
            local.forget(event);
            deps.log(
              `shimmy: could not claim the ${event.threshold}% budget alert in Redis (${String(err)}); it is tried again on the next settle`,
            );
          },
        );
      }
    },
  };
}
