// Where the shared limit state lives in Redis, and the integer unit it is kept in.
import { periodEnd, type Period } from '../../clock/calendar.js';
import type { BudgetScope } from '../budgets.js';
import type { FiredAlert } from '../types.js';

const SCALE = 1e10;
/** USD → integer units of 1e-10 USD (the ledger's unit: sums stay exact). */
export const toE10 = (usd: number): number => Math.round(usd * SCALE);
export const fromE10 = (n: number): number => Math.round(n) / SCALE;

/** A period's budget key outlives the period by a day: requests admitted just before midnight
 *  settle into it afterwards; then it expires by itself. */
const SETTLE_MARGIN_MS = 86_400_000;

export interface LimitKeys {
  budget(scope: BudgetScope, periodKey: string): string;
  /** Claimed (SET NX) by the one replica that sends this budget alert. */
  alert(alert: FiredAlert): string;
  /** The sliding minute of a tool: entries (zset), their tokens (hash), the token sum (of both
   *  kinds of entry), token-only entries (zset of `<id>:<tokens>`: what answers used beyond what
   *  their request's entry held, counted from their settle; TPM reads them, RPM does not). */
  window(tool: string): [string, string, string, string];
}

export function limitKeys(prefix: string): LimitKeys {
  // Tool names are user text: encoded so no name can reach another key's shape.
  const name = (tool: string) => encodeURIComponent(tool);
  const scopeKey = (scope: BudgetScope, periodKey: string) =>
    `${scope.tool === null ? '*' : name(scope.tool)}:${scope.period}:${periodKey}`;
  return {
    budget: (scope, periodKey) => `${prefix}budget:${scopeKey(scope, periodKey)}`,
    alert: (a) => `${prefix}alert:${scopeKey(a.scope, a.periodKey)}:${a.threshold}`,
    window: (tool) => [
      `${prefix}rate:${name(tool)}:at`,
      `${prefix}rate:${name(tool)}:tokens`,
      `${prefix}rate:${name(tool)}:sum`,
      `${prefix}rate:${name(tool)}:late`,
    ],
  };
}

/** ms a period's budget key is kept from `at` on. Relative, not an instant: a replica's clock and
 *  Redis's need not agree for the key to outlive its period. */
export function budgetTtlMs(at: Date, timeZone: string, period: Period): number {
  return periodEnd(at, timeZone, period).getTime() - at.getTime() + SETTLE_MARGIN_MS;
}
