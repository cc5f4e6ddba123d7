// Anthropic's server-side web search bills each search ($10 per 1,000) on top of the tokens, up to
// the tool's `max_uses` per request, and without one as many as the model chooses to run. A USD
// budget reserves the searches a request may run; a web search tool without `max_uses` is sent
// with one (DEFAULT_WEB_SEARCH_USES, what Claude Code itself sends), so no answer can search past
// what was reserved. OpenAI's Responses API bills its web_search calls the same way, bounded by
// `max_tool_calls`, which counts every built-in tool call: a request with a web search tool and
// none is sent with DEFAULT_WEB_SEARCH_USES, and so is one with a file search tool ($2.50 per
// 1,000 calls; reserved at that rate when the request has no web search tool). That bounds its
// other built-in tools too (code interpreter, image generation): each of those is billed per call
// or per container as well, so a budget needs them bounded all the same. (Unbounded, 20 searches
// recorded $0.21001 on a $0.15 budget: found by review, round 13.) Admit then sends the most calls
// up to that bound, or up to the client's own max_tool_calls, that the budget can pay for
// (mostCallsFitting), as it lowers an output limit: a client's bound that does not fit is lowered,
// not refused, while one call fits (x-shimmy-max-tool-calls-capped says so).
// A Responses stored prompt (`prompt: {id}`) brings its own tools, which the body does not show: it
// is bounded and reserved as a web search tool would be (20 searches of a stored prompt billed
// $0.6975 on a $0.60 budget: found by red16, 2026-11-29).
import type { ApiFamily, Endpoint } from '../../../shared/usage.js';
import { laxCount, positiveInt } from './output-limit-field.js';
import { namesStoredPrompt } from './stored-responses.js';
import { isXaiOnlyTool } from './xai-tool-calls.js';

export const DEFAULT_WEB_SEARCH_USES = 8;

export interface WebSearchUses {
  /** Searches the request may run, at most. */
  uses: number;
  /** Responses: only file search tools (no web search), so the calls are file searches. */
  fileSearchOnly?: boolean;
  /** Top-level members to write into the body sent upstream (serialized), when the request did not
   *  bound its searches: Anthropic's `tools` with a `max_uses` on each web search tool, or the
   *  Responses API's `max_tool_calls`. */
  edits?: Record<string, string>;
  /** Anthropic: the members that send the web search tools with `n` uses between them instead
   *  (admit lowers a bound the budget cannot pay for, as it lowers max_tool_calls), from
   *  `minUses` (one per tool) up. */
  withUses?: (n: number) => Record<string, string>;
  minUses?: number;
}

/** Tools whose `type` starts with `prefix`: Anthropic's are dated (`web_search_20250305`), the
 *  Responses API's are `web_search`, `web_search_preview` and dated variants. */
const toolOfType =
  (prefix: string) =>
  (t: unknown): t is Record<string, unknown> =>
    typeof t === 'object' &&
    t !== null &&
    typeof (t as { type?: unknown }).type === 'string' &&
    (t as { type: string }).type.startsWith(prefix);
const isWebSearch = toolOfType('web_search_');
const isOpenAiWebSearch = toolOfType('web_search');
const isFileSearch = toolOfType('file_search');
// xAI's own server-side tools (X Search, code execution, collections and attachment search) are
// billed per call as well (xai-tool-calls.ts).
const isXaiTool = (t: unknown) =>
  typeof t === 'object' && t !== null && isXaiOnlyTool(String((t as { type?: unknown }).type));
const billedPerCall = (t: unknown) => isOpenAiWebSearch(t) || isFileSearch(t) || isXaiTool(t);
// At xAI `code_interpreter` is its code execution tool, billed per call too.
const isCodeInterpreter = toolOfType('code_interpreter');
const billedPerCallAtXai = (t: unknown) => billedPerCall(t) || isCodeInterpreter(t);

/** The Responses API's bound on a request's built-in tool calls: its `max_tool_calls` (0: none
 *  run, kept as sent), or, when it names none, DEFAULT_WEB_SEARCH_USES with the edit that writes
 *  it. One reading for every built-in tool that bound serves (image-tool-calls.ts too). A count
 *  written as a string is read as a lax server reads it (laxCount): read as unbounded, "5" was
 *  replaced by 8, more calls than the client allowed (test/integration/tool-calls-cap.test.ts);
 *  admit writes a lowered one as a number. */
export function builtInToolCalls(body: object): { calls: number; edits?: Record<string, string> } {
  const asked = (body as { max_tool_calls?: unknown }).max_tool_calls;
  if (asked === 0 || (typeof asked === 'string' && /^\s*0+\s*$/.test(asked))) return { calls: 0 };
  const max = laxCount(asked);
  if (max !== undefined) return { calls: max };
  return { calls: DEFAULT_WEB_SEARCH_USES, edits: { max_tool_calls: String(DEFAULT_WEB_SEARCH_USES) } };
}

/** The reservation `at(n)` for the most calls, from 1 to `most`, that `fits` (more calls cost
 *  more, so a binary search); `at(1)` when not even one does. */
export function mostCallsFitting<T>(most: number, at: (calls: number) => T, fits: (r: T) => boolean): T {
  let best = at(1);
  if (!fits(best)) return best;
  let [lo, hi] = [1, most];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const r = at(mid);
    if (fits(r)) [lo, best] = [mid, r];
    else hi = mid - 1;
  }
  return best;
}

/** `xai`: the request is billed as xAI (xai-tool-calls.ts billedAsXai). */
export function webSearchUses(
  family: ApiFamily,
  endpoint: Endpoint,
  body: unknown,
  xai = false,
): WebSearchUses {
  if (typeof body !== 'object' || body === null) return { uses: 0 };
  const tools = (body as { tools?: unknown }).tools;
  if (family === 'openai') {
    // Chat Completions has no web search tool (its search models search on every request).
    if (endpoint !== 'responses') return { uses: 0 };
    const storedTools = namesStoredPrompt(body);
    const perCall = xai ? billedPerCallAtXai : billedPerCall;
    if (!storedTools && !(Array.isArray(tools) && tools.some(perCall))) return { uses: 0 };
    const { calls, edits } = builtInToolCalls(body);
    if (calls === 0) return { uses: 0 };
    const fileSearchOnly = !storedTools && !(tools as unknown[]).some(isOpenAiWebSearch);
    return edits ? { uses: calls, fileSearchOnly, edits } : { uses: calls, fileSearchOnly };
  }
  if (family !== 'anthropic' || !Array.isArray(tools) || !tools.some(isWebSearch)) return { uses: 0 };
  let uses = 0;
  let bounded = true;
  const searchTools = tools.filter(isWebSearch).length;
  // `n` searches shared out in order, each tool keeping at least one (a request naming two was
  // refused rather than lowered: test/integration/web-search-tools-cap.test.ts).
  const withUses = (n: number) => {
    let left = Math.max(n, searchTools);
    let after = searchTools;
    const out = tools.map((t) => {
      if (!isWebSearch(t)) return t;
      after--;
      const uses = Math.max(1, Math.min(positiveInt(t.max_uses) ?? DEFAULT_WEB_SEARCH_USES, left - after));
      left -= uses;
      return { ...t, max_uses: uses };
    });
    return { tools: JSON.stringify(out) };
  };
  const sent = tools.map((t) => {
    if (!isWebSearch(t)) return t;
    const max = positiveInt(t.max_uses);
    if (max !== undefined) {
      uses += max;
      return t;
    }
    bounded = false;
    uses += DEFAULT_WEB_SEARCH_USES;
    return { ...t, max_uses: DEFAULT_WEB_SEARCH_USES };
  });
  const out: WebSearchUses = bounded ? { uses } : { uses, edits: { tools: JSON.stringify(sent) } };
  out.withUses = withUses;
  out.minUses = searchTools;
  return out;
}
