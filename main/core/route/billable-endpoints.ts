// Which requests the provider may bill and whether Shimmy can price their answer. A tool with a
// USD budget may only reach endpoints Shimmy can price (or free ones); the rest would spend
// without limit. The lists are generic: an endpoint that gains a usage reader (classify-path.ts
// names it) is metered, whatever path list below still mentions it.
import type { Endpoint } from '../../../shared/usage.js';
import { laxTrue } from './lax-true.js';

export type Billing =
  | { kind: 'metered' }
  | { kind: 'free' }
  /** Billed by the provider, not priced by Shimmy; `what` names it for the refusal message. */
  | { kind: 'unpriced'; what: string };

/** Methods that only read or delete: the provider bills none of them. */
const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);

/** POSTs that cost nothing (lower-case paths; `*` is one path segment). */
const FREE_POSTS: RegExp[] = [
  /^\/v1\/moderations$/,
  /^\/v1\/responses\/input_tokens$/,
  /^\/v1\/files$/, // an upload is not billed; the batch or vector store that uses it is
  /^\/v1\/uploads(\/[^/]+\/(parts|complete))?$/,
  /^\/v1\/.+\/cancel$/, // cancelling a batch, fine-tune, response or run
];

/** Billable endpoints Shimmy has no price for, by path prefix (lower case). */
const UNPRICED_PREFIXES: Array<[string, string]> = [
  ['/v1/images', 'image generation'],
  ['/v1/audio', 'audio'],
  ['/v1/batches', 'batches'],
  ['/v1/messages/batches', 'message batches'],
  ['/v1/fine_tuning', 'fine-tuning'],
  ['/v1/vector_stores', 'vector stores'],
  ['/v1/realtime', 'realtime sessions'],
  ['/v1/videos', 'video generation'],
  ['/v1/threads', 'assistant runs'],
  ['/v1/assistants', 'assistants'],
  ['/v1/containers', 'code-interpreter containers'],
  ['/v1/evals', 'evals'],
  ['/v1/complete', 'legacy text completions'],
  ['/v1/conversations', 'conversations'],
];

export function billingOf(method: string, path: string, endpoint: Endpoint, fields: unknown): Billing {
  if (READ_ONLY.has(method.toUpperCase())) return { kind: 'free' };
  if (endpoint === 'count_tokens') return { kind: 'free' };
  if (endpoint !== 'other') {
    // A background response is billed when it finishes; its answer now carries no usage. Read as a
    // lax server reads it: `background: "true"` went out to vLLM as a background response.
    const background = (fields as { background?: unknown } | undefined)?.background;
    if (endpoint === 'responses' && laxTrue(background))
      return { kind: 'unpriced', what: 'Responses with background: true' };
    if (endpoint === 'generate_content' && groundsWithSearch(fields))
      return { kind: 'unpriced', what: 'Gemini grounding with Google Search or Maps' };
    if (endpoint === 'messages' && runsBilledCode(fields))
      return { kind: 'unpriced', what: 'Anthropic code execution, billed per container-hour' };
    if (endpoint === 'messages' && consultsAdvisor(fields))
      return {
        kind: 'unpriced',
        what: "the Anthropic advisor tool, whose model's calls the answer's usage leaves out",
      };
    return { kind: 'metered' };
  }
  const lower = path.toLowerCase();
  if (FREE_POSTS.some((re) => re.test(lower))) return { kind: 'free' };
  const known = UNPRICED_PREFIXES.find(([prefix]) => lower === prefix || lower.startsWith(`${prefix}/`));
  return { kind: 'unpriced', what: known ? known[1] : 'an endpoint Shimmy does not know' };
}

/** Gemini tools billed per grounded prompt or per search query on top of the tokens — Google
 *  Search ($35 per 1,000 grounded prompts on Gemini 2.5 past 1,500 a day, $14 per 1,000 queries on
 *  Gemini 3) and Google Maps ($25 per 1,000) (ai.google.dev/gemini-api/docs/pricing, read
 *  2026-11-29) — which the price catalog has no rate for and the usage reader does not read. */
const GROUNDING_TOOLS = new Set([
  'googleSearch',
  'google_search',
  'googleSearchRetrieval',
  'google_search_retrieval',
  'googleMaps',
  'google_maps',
]);

/** The request's `tools` (none when it names no list). */
function toolsOf(fields: unknown): unknown[] {
  const tools = (fields as { tools?: unknown } | undefined)?.tools;
  return Array.isArray(tools) ? tools : [];
}

/** An Anthropic tool's versioned `type` (`code_execution_20250825`), '' when it has none. */
const toolType = (t: unknown): string => String((t as { type?: unknown } | null)?.type ?? '');

function groundsWithSearch(fields: unknown): boolean {
  return toolsOf(fields).some(
    (t) => typeof t === 'object' && t !== null && Object.keys(t).some((k) => GROUNDING_TOOLS.has(k)),
  );
}

/** Anthropic's code execution tool bills its container's running time on top of the tokens: $0.05
 *  per container-hour past the organization's free hours, at least 5 minutes per use — except in a
 *  request that also has the 2026-02-09 web search or fetch tool, where it is free
 *  (docs.claude.com/en/docs/agents-and-tools/tool-use/code-execution-tool, read 2026-11-29). The
 *  answer does not say how long it ran and the catalog has no rate: ten such requests billed
 *  $0.0477 on a $0.01 budget, recorded $0.006 (anthropic-code-execution-budget.test.ts). */
function runsBilledCode(fields: unknown): boolean {
  const tools = toolsOf(fields);
  return (
    tools.some((t) => toolType(t).startsWith('code_execution_')) &&
    !tools.some((t) => /^web_(search|fetch)_20260209$/.test(toolType(t)))
  );
}

/** Anthropic's advisor tool (`advisor_20260301`; @anthropic-ai/sdk 1.13.0 `BetaAdvisorTool20260301`)
 *  has the model consult another one, its own `model` (Opus under a Haiku, say), which reads the
 *  conversation and writes advice up to the tool's `max_tokens` — or that model's own cap — as
 *  often as `max_uses` allows, or without bound. Each such sub-inference is billed at the advisor
 *  model's rates and reported only among `usage.iterations` (`advisor_message`), which no reader
 *  takes (found by red21, 2026-11-29: three consultations of Opus 4.1 from Sonnet 4.5 billed
 *  $1.42 on a $0.50 budget and were recorded $0.068; anthropic-advisor-budget.test.ts). Its model
 *  also passes a tool's model allowlist unseen. */
function consultsAdvisor(fields: unknown): boolean {
  return toolsOf(fields).some((t) => toolType(t).startsWith('advisor_'));
}
