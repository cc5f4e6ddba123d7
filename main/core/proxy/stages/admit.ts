// Stage 5, admit: one synchronous check-and-reserve of the request's worst-case cost against the
// tool's and the global budgets, and of its tokens against RPM/TPM. Node runs it in one tick, so
// concurrent requests cannot slip past each other.
import type { Config, Tool } from '../../../../shared/config.js';
import type { Refusal, Reservation } from '../../limits/index.js';
import { estimateInputTokens, requestedMaxOutputTokens } from '../../meter/index.js';
import { costUsd, type PriceMatch } from '../../pricing/index.js';
import type { ProxyDeps } from '../proxy-deps.js';
import { Refused } from '../refused.js';
import type { RecordDraft } from '../request-record.js';

/** Output tokens reserved when a request sets no cap: a documented estimate, corrected on settle. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

export interface Admitted {
  reservation: Reservation;
  price: PriceMatch | undefined;
  /** The request's input tokens, counted on first use (tokenizing costs real time). */
  inputEstimate: () => number;
  /** A USD budget applies: the running cost of a stream is checked against it. */
  budgeted: boolean;
}

/** Endpoints whose answers carry token usage (and so cost money per token). */
export const metered = (endpoint: RecordDraft['endpoint']) =>
  endpoint !== 'other' && endpoint !== 'count_tokens';

export function admit(
  deps: ProxyDeps,
  x: { config: Config; tool: Tool; draft: RecordDraft; json: unknown; model: string },
): Admitted {
  const { tool, draft, json, model } = x;
  const { family, endpoint } = draft;
  const price = model ? deps.prices.lookup(model) : undefined;
  // Tokenizing costs real time per request: only when a budget or TPM limit needs the count,
  // or a stream is cut before the provider's own count arrives.
  let estimated: number | undefined;
  const inputEstimate = () =>
    (estimated ??= metered(endpoint) ? estimateInputTokens(family, endpoint, json, model) : 0);
  const s = x.config.settings;
  const budgeted = [tool.limits.dailyUsd, tool.limits.monthlyUsd, s.globalDailyUsd, s.globalMonthlyUsd].some(
    (v) => v !== undefined,
  );
  const inputTokens = budgeted || tool.limits.tpm ? inputEstimate() : 0;
  const maxOut = metered(endpoint)
    ? (requestedMaxOutputTokens(endpoint, json) ?? DEFAULT_MAX_OUTPUT_TOKENS)
    : 0;
  const worstCaseUsd = !metered(endpoint)
    ? 0
    : price
      ? costUsd(family, price.price, {
          inputTokens,
          cachedInputTokens: 0,
          cacheWriteTokens: 0,
          outputTokens: maxOut,
          reasoningTokens: 0,
        })
      : null;
  const result = deps.limiter.admit(tool, { model, estimatedTokens: inputTokens + maxOut, worstCaseUsd });
  if (!result.ok) throw refusalOf(result.refusal);
  return { reservation: result.reservation, price, inputEstimate, budgeted };
}

function refusalOf(r: Refusal): Refused {
  if (r.kind === 'budget')
    return new Refused('budget_exceeded', r.message, 'budget', { 'x-should-retry': 'false' });
  return new Refused('rate_limit_exceeded', r.message, 'rate_limit', r.headers);
}
