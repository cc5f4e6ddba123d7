// The refusals both limit engines (memory, Redis) answer with, built from the numbers each engine
// read, so a team gateway and a laptop say the same thing for the same state.
import type { Settings, Tool } from '../../../shared/config.js';
import { addUsd, formatUsd, roundUsd } from '../../../shared/money.js';
import { budgetMessage, resetsAt, type ScopeUse } from './budgets.js';
import { formatDuration, retryAfterHeaders } from './rate-headers.js';
import { WINDOW_MS } from './rate-window.js';
import type { AdmitRequest, Refusal } from './types.js';

/** How soon an unbounded request turned away by another one in flight is told to retry: about
 *  the time a short transcription takes. */
export const BUSY_RETRY_MS = 2_000;

/** The budget refusal for the scopes that did not fit, or null when all did. `unbounded`: the
 *  request was AdmitRequest.unbounded, so a scope with room may have failed only for being busy. */
export function budgetRefusalOf(
  toolName: string,
  failing: readonly ScopeUse[],
  worstCaseUsd: number | null,
  s: Settings,
  at: Date,
  unbounded = false,
): Refusal | null {
  if (failing.length === 0) return null;
  const hasRoom = (u: ScopeUse) => addUsd(u.spentUsd, u.reservedUsd) < roundUsd(u.limitUsd);
  const full = unbounded ? failing.filter((u) => !(u.busy && hasRoom(u))) : failing;
  // Report the scope that frees up last: waiting for the daily reset is pointless when the month is spent.
  const pick = full.length > 0 ? full : failing;
  const worst = pick.find((u) => u.scope.period === 'month') ?? (pick[0] as ScopeUse);
  const reset = resetsAt(at, s.timeZone, worst.scope.period);
  if (full.length === 0) {
    // Room left, but taken by a request whose cost is known only from its answer: a moment's wait.
    const which = worst.scope.period === 'day' ? 'daily' : 'monthly';
    const budget =
      worst.scope.tool === null
        ? `the global ${which} budget of ${formatUsd(worst.limitUsd)}`
        : `its ${which} budget of ${formatUsd(worst.limitUsd)}`;
    return {
      kind: 'budget',
      scope: { ...worst.scope },
      limitUsd: worst.limitUsd,
      spentUsd: worst.spentUsd,
      resetsAt: reset.date,
      retryAfterMs: BUSY_RETRY_MS,
      message:
        `Tool "${toolName}" sent a request whose cost is known only from its answer (billed by the ` +
        `second of audio) while another such request is in flight against ${budget}: one at a time ` +
        `is let through, so the budget cannot be passed by more than one answer. Retry in ` +
        `${formatDuration(BUSY_RETRY_MS)}.`,
    };
  }
  return {
    kind: 'budget',
    scope: { ...worst.scope },
    limitUsd: worst.limitUsd,
    spentUsd: worst.spentUsd,
    resetsAt: reset.date,
    message: budgetMessage(toolName, worst, worstCaseUsd, reset.iso),
  };
}

/** ms until one more request fits under RPM and until the request's tokens fit under TPM
 *  (0 = now, Infinity = never: the request alone is larger than TPM). */
export interface RateWaits {
  requestWait: number;
  tokenWait: number;
}

/** The rate refusal for the waits an engine computed, or null when the request fits now.
 *  `headers` are the x-ratelimit-* of the window as it is. */
export function rateRefusalOf(
  tool: Tool,
  req: AdmitRequest,
  waits: RateWaits,
  headers: Record<string, string>,
): Refusal | null {
  const { rpm, tpm } = tool.limits;
  const requestWait = rpm === undefined ? 0 : waits.requestWait;
  const tokenWait = tpm === undefined ? 0 : waits.tokenWait;
  if (requestWait === 0 && tokenWait === 0) return null;
  // Both must clear before the request fits, so report the longer wait.
  const metric = requestWait >= tokenWait ? 'requests' : 'tokens';
  const tooBig = tokenWait === Infinity;
  const retryAfterMs = tooBig ? WINDOW_MS : Math.max(requestWait, tokenWait);
  const limit = (metric === 'requests' ? rpm : tpm) as number;
  const message = tooBig
    ? `Tool "${tool.name}" sent a request of about ${req.estimatedTokens} tokens, more than its limit of ${limit} tokens per minute.`
    : `Tool "${tool.name}" is over its rate limit of ${limit} ${limit === 1 ? metric.slice(0, -1) : metric} per minute; ` +
      `retry in ${formatDuration(retryAfterMs)}.`;
  return {
    kind: 'rate',
    metric,
    limit,
    retryAfterMs,
    headers: { ...headers, ...retryAfterHeaders(retryAfterMs) },
    message,
  };
}
