// xAI's server-side tools bill each call apart from the tokens (pricing/xai-tool-fees.ts). The
// answer's cost_in_usd_ticks records them (meter/provider-dialect.ts), but a reservation priced from
// the catalog held none: two agent turns of 25 X searches each billed $0.2501032 on a $0.08 budget
// (xai-tool-calls-budget.test.ts). The calls are bounded as OpenAI's are, by the Responses API's
// `max_tool_calls` (web-search-uses.ts counts these tools among those billed per call); each is
// reserved here at the dearest fee of the tools the request names.
import type { Usage } from '../../../shared/usage.js';
import { addUsd } from '../../../shared/money.js';
import type { PriceMatch } from '../pricing/index.js';
import { XAI, XAI_USD_PER_1K_CALLS } from '../pricing/xai-tool-fees.js';
import type { CostOf } from './output-cap.js';

/** xAI tool types that exist only there: web-search-uses.ts bounds them with max_tool_calls. */
export const isXaiOnlyTool = (type: string): boolean =>
  type === 'x_search' ||
  type === 'code_execution' ||
  type === 'attachment_search' ||
  type === 'collections_search';

/** Whether the request is billed as xAI, where `code_interpreter` is the code execution tool
 *  under OpenAI's name, billed per call: not a container billed by its memory
 *  (code-interpreter-containers.ts), which xAI has no price for (refused as unpriced, such a request
 *  never reached xAI: xai-code-interpreter-budget.test.ts). */
export const billedAsXai = (price: PriceMatch | undefined): boolean => price?.provider === XAI;

/** The dearest per-call fee of the xAI server-side tools the request names; 0 when it names none
 *  or is not priced as xAI. */
export function xaiToolCallUsd(price: PriceMatch | undefined, body: unknown): number {
  if (!billedAsXai(price) || typeof body !== 'object' || body === null) return 0;
  const tools = (body as { tools?: unknown }).tools;
  if (!Array.isArray(tools)) return 0;
  let usd = 0;
  for (const t of tools) {
    const type = typeof t === 'object' && t !== null ? (t as { type?: unknown }).type : undefined;
    if (typeof type === 'string') usd = Math.max(usd, (XAI_USD_PER_1K_CALLS[type] ?? 0) / 1000);
  }
  return usd;
}

/** `cost` with each reserved call (reserved-input.ts counts them as web or file searches) at
 *  `perCallUsd` instead of a catalog rate xAI's entries do not have; `cost` itself when there is
 *  no fee. */
export function withXaiToolCalls(
  cost: CostOf | undefined,
  price: PriceMatch | undefined,
  body: unknown,
): CostOf | undefined {
  const perCallUsd = cost ? xaiToolCallUsd(price, body) : 0;
  if (!cost || perCallUsd === 0) return cost;
  return (u: Usage) => {
    const calls = (u.webSearchRequests ?? 0) + (u.fileSearchCalls ?? 0);
    const tokens = cost(calls === 0 ? u : { ...u, webSearchRequests: 0, fileSearchCalls: 0 });
    return tokens === null ? null : addUsd(tokens, calls * perCallUsd);
  };
}
