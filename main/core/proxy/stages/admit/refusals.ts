// Every way the admit stage turns a request down, built in one place: an unpriced model, a limit
// no body can carry, a budget or rate refusal from the limiter, and the fail-closed answers when
// the ledger or the shared limits engine cannot be reached.
import type { Tool } from '../../../../../shared/config.js';
import { LimitsUnavailableError, type Refusal } from '../../../limits/index.js';
import type { OutputPlan } from '../../../limits/output-cap.js';
import type { ProxyDeps } from '../../proxy-deps.js';
import { Refused } from '../../refused.js';

/** A request that could not be recorded is not served: refused while the ledger cannot be written
 *  (disk full, database gone), in the caller's format; served again once a write succeeds. */
export function checkRecordable(deps: ProxyDeps): void {
  const health = deps.ledger.health();
  if (!health.ok)
    throw new Refused(
      'ledger_unavailable',
      `Shimmy is refusing requests because it cannot record them: ${health.message}. Free disk space (or fix the database); requests are accepted again as soon as the ledger can be written.`,
      'ledger_unavailable',
      { 'retry-after': '5' },
    );
}

/** A shared engine's answer (Redis); when it cannot be reached the request is refused, never let
 *  through unchecked (fail closed), in the caller's format. */
export async function shared<T>(answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (err) {
    if (!(err instanceof LimitsUnavailableError)) throw err;
    throw new Refused(
      'limits_unavailable',
      `Shimmy is refusing requests because it cannot check this tool's budgets and rate limits: ${err.message}. ` +
        'Requests are accepted again as soon as Redis answers.',
      'limits_unavailable',
      { 'retry-after': '5' },
    );
  }
}

export function unpricedRefusal(tool: Tool, model: string): Refused {
  const name = model || '(none named)';
  return new Refused(
    'model_unpriced',
    `Model "${name}" has no known price, so tool "${tool.name}"'s budget cannot be kept. Price it with: ` +
      `shimmy price set ${model || 'MODEL'} --input USD_PER_1M --output USD_PER_1M` +
      ` (or let this tool use unpriced models: shimmy tool limits ${tool.name} --allow-unpriced …).`,
    'budget',
    { 'x-should-retry': 'false' },
  );
}

/** The body lets the provider choose fallback models it does not name (`what`, body-fallbacks.ts). */
export function unnamedFallbacksRefusal(tool: Tool, what: string): Refused {
  return new Refused(
    'model_unpriced',
    `The request's ${what} may be served by models Shimmy cannot price, so tool "${tool.name}"'s budget cannot be kept. Name the fallback models instead.`,
    'budget',
    { 'x-should-retry': 'false' },
  );
}

/** Code interpreter containers at a provider whose fee is unknown. */
export function containersUnpricedRefusal(tool: Tool, providerName: string): Refused {
  return new Refused(
    'model_unpriced',
    `Code interpreter containers at "${providerName}" have no known price, so tool "${tool.name}"'s budget cannot be kept.`,
    'budget',
    { 'x-should-retry': 'false' },
  );
}

/** OpenRouter's web plugin on its native engine: searches billed at the model provider's price,
 *  as many as the model runs (limits/openrouter-web-plugin.ts). */
export function nativeSearchRefusal(tool: Tool, model: string): Refused {
  return new Refused(
    'model_unpriced',
    `OpenRouter searches the web for "${model}" with its provider's own search, billed per search with no bound Shimmy can set, so tool "${tool.name}"'s budget cannot be kept. ` +
      `Ask for Exa's results instead, reserved at $4 per 1,000: "plugins": [{"id": "web", "engine": "exa"}]` +
      ` (or let this tool use unpriced models: shimmy tool limits ${tool.name} --allow-unpriced …).`,
    'budget',
    { 'x-should-retry': 'false' },
  );
}

/** OpenRouter's `openrouter:web_search` / `openrouter:web_fetch` server tools: called as many times
 *  as the model likes, each at its engine's price (limits/openrouter-web-plugin.ts). */
export function serverToolRefusal(tool: Tool, serverTool: string): Refused {
  return new Refused(
    'model_unpriced',
    `OpenRouter's "${serverTool}" tool is called as many times as the model likes, each billed at its engine's price with no bound Shimmy can set, so tool "${tool.name}"'s budget cannot be kept. ` +
      `Ask for Exa's web results instead, reserved at $4 per 1,000: "plugins": [{"id": "web", "engine": "exa"}]` +
      ` (or let this tool use unpriced models: shimmy tool limits ${tool.name} --allow-unpriced …).`,
    'budget',
    { 'x-should-retry': 'false' },
  );
}

/** A limit Shimmy sized that no body can carry (`why`), refused naming what set it. With both a
 *  budget and a TPM limit, a TPM-set one was refused as the budget's (tpm-with-budget.test.ts).
 *  The error code and status stay those of a budget wherever a budget priced the request: public
 *  contract, whatever set the limit. */
export function capRefusal(
  tool: Tool,
  limit: number,
  setBy: 'budget' | 'tpm' | 'model',
  priced: boolean,
  why: string,
): Refused {
  const message =
    setBy === 'budget'
      ? `Tool "${tool.name}" has budget left for ${limit} output tokens on this request, but ${why}.`
      : setBy === 'tpm'
        ? `Tool "${tool.name}"'s TPM limit holds ${limit} output tokens for this request, but ${why}.`
        : `The model's maximum output, ${limit} tokens, is the limit Shimmy writes for this request, but ${why}.`;
  return priced
    ? new Refused('budget_exceeded', message, 'budget', { 'x-should-retry': 'false' })
    : new Refused('rate_limit_exceeded', message, 'rate_limit', { 'x-should-retry': 'false' });
}

/** The limiter's refusal in the caller's terms; `plan` says when not even the smallest answer fit. */
export function refusalOf(r: Refusal, plan: OutputPlan | null, now: Date): Refused {
  if (r.kind === 'budget') {
    const floor =
      plan?.kind === 'refused'
        ? ` Not even a ${plan.limit}-token answer fits in what is left, so the request was not sent.`
        : '';
    // Retry-After says when the budget resets (Gemini clients read it as RetryInfo, errors/api-errors.ts).
    // A budget held by an unbounded request in flight frees up in a moment: worth a retry.
    if (r.retryAfterMs !== undefined)
      return new Refused('budget_exceeded', r.message, 'budget', {
        'retry-after': String(Math.max(1, Math.ceil(r.retryAfterMs / 1000))),
      });
    const retryAfter = Math.max(1, Math.ceil((r.resetsAt.getTime() - now.getTime()) / 1000));
    return new Refused('budget_exceeded', r.message + floor, 'budget', {
      'x-should-retry': 'false',
      'retry-after': String(retryAfter),
    });
  }
  return new Refused('rate_limit_exceeded', r.message, 'rate_limit', r.headers);
}
