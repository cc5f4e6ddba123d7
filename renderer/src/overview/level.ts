// When a budget or rate bar turns amber or red. Money is compared after rounding to the ledger's
// 1e-10 resolution so 0.04 of 0.05 counts as 80% (0.04/0.05 is 0.7999…) despite float error.
import { roundUsd } from '../../../shared/money.js';

export type Level = 'ok' | 'warn' | 'over';

export const WARN_RATIO = 0.8;

export function usageLevel(used: number, limit: number): Level {
  if (!(limit > 0)) return used > 0 ? 'over' : 'ok';
  if (roundUsd(used) >= roundUsd(limit)) return 'over';
  // used/limit >= 4/5, written without division so float error can't drop an exact 80%.
  if (roundUsd(used * 5) >= roundUsd(limit * 4)) return 'warn';
  return 'ok';
}

/** Width of the filled part, 0-100 (an overshoot still draws a full bar). */
export function usagePercent(used: number, limit: number): number {
  if (!(limit > 0)) return used > 0 ? 100 : 0;
  return Math.max(0, Math.min(100, (used / limit) * 100));
}
