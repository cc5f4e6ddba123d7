// xAI's server-side tools bill each call apart from the tokens, and the catalog has no rate for
// them: "Web Search $5 / 1k calls (web_search), X Search $5 / 1k calls (x_search), Code Execution
// $5 / 1k calls (code_execution, code_interpreter), File Attachments $10 / 1k calls
// (attachment_search), Collections Search $2.50 / 1k calls (collections_search, file_search)"
// (docs.x.ai/developers/pricing, read 2026-11-30). An answer with `cost_in_usd_ticks` has them in
// its charge; one without is priced here from the calls its output items show.
import type { Usage } from '../../../shared/usage.js';

/** USD per 1,000 calls of each xAI server-side tool, by the tool type a request names. */
export const XAI_USD_PER_1K_CALLS: Readonly<Record<string, number>> = {
  web_search: 5,
  x_search: 5,
  code_execution: 5,
  code_interpreter: 5,
  attachment_search: 10,
  collections_search: 2.5,
  file_search: 2.5,
};

/** The catalog provider whose per-call tool fees these are. */
export const XAI = 'x-ai';

/** USD of the tool calls an xAI answer shows (`web_search_call`, `file_search_call` — a
 *  Collections search — and `code_interpreter_call` items), 0 when it shows none. */
export function xaiCallsUsd(u: Usage): number {
  const fees = XAI_USD_PER_1K_CALLS;
  const per1k =
    (u.webSearchRequests ?? 0) * fees.web_search! +
    (u.fileSearchCalls ?? 0) * fees.file_search! +
    (u.codeExecutionCalls ?? 0) * fees.code_interpreter!;
  return per1k / 1000;
}
