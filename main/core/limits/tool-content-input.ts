// Input a request's server-side tools bring into the conversation, billed as input tokens though
// the body never held it: a fetched page, what a web search found, a page Gemini's URL context read,
// the chunks Gemini's File Search retrieves, what a remote MCP server returns. A reservation counts
// it as the tokens a tool names as its bound, a fixed block per call where the provider bills one,
// or else the largest context window that may serve the request ('window': the provider cannot
// bill an input past it).
//
// Web search (read 2026-11-29): Anthropic counts "web search results retrieved throughout a
// conversation" as input tokens, and the tool names no bound on them
// (docs.claude.com/en/docs/agents-and-tools/tool-use/web-search-tool). OpenAI's Responses
// `web_search` bills "search content tokens ... at model rates", except gpt-4o-mini and
// gpt-4.1-mini, which bill a fixed 8,000 input tokens per call; `web_search_preview` bills them on
// reasoning models only (gpt-4o and gpt-4.1 pay $25 / 1k calls instead, content free)
// (openai.com/api/pricing as quoted at modelcostwatch.com/openai/tool-costs/web-search and by
// OpenAI staff at community.openai.com/t/search-web-using-openai-api/1363698). Five searches of
// 60,000 tokens on a $0.10 budget billed $0.96 (test/integration/search-results-budget.test.ts).
import type { ApiFamily, Endpoint } from '../../../shared/usage.js';
import { field } from '../meter/usage-fields.js';
import { ONLINE } from '../pricing/listed-names.js';
import { bareModel } from '../route/bare-model.js';
import { webPluginOf } from './openrouter-web-plugin.js';
import { positiveInt } from './output-limit-field.js';

export interface ToolContentInput {
  /** Input tokens the tools may bring in, whatever the calls. */
  tokens: number;
  /** Input tokens each built-in tool call may bring in (a mini's fixed search block, a file
   *  search's chunks). */
  perCall: number;
  /** Only the context window bounds it. */
  window: boolean;
}

const NONE: ToolContentInput = { tokens: 0, perCall: 0, window: false };
const WINDOW: ToolContentInput = { tokens: 0, perCall: 0, window: true };

/** gpt-4o-mini's and gpt-4.1-mini's `web_search` content: 8,000 input tokens a call. */
export const MINI_SEARCH_BLOCK = 8_000;
const MINI_SEARCH_MODEL = /^gpt-4(?:o|\.1)-mini(?:-\d{4}-\d{2}-\d{2})?$/;
/** Non-reasoning models whose `web_search_preview` content is free. */
const FREE_PREVIEW_MODEL = /^gpt-4(?:o|\.1)(?:-mini|-nano)?(?:-\d{4}-\d{2}-\d{2})?$/;

const typeOf = (t: unknown): string => {
  const type = typeof t === 'object' && t !== null ? (t as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : '';
};

/** The input a request's tools may bring in; `models` are every model that may serve it (the
 *  routed one and its fallbacks), each billed its own way. */
export function toolContentInput(
  family: ApiFamily,
  endpoint: Endpoint,
  models: readonly string[],
  body: unknown,
): ToolContentInput {
  if (typeof body !== 'object' || body === null) return NONE;
  // Anthropic's MCP connector: the remote servers' tool results are input to the model, unbounded
  // (docs.claude.com/en/docs/agents-and-tools/mcp-connector, read 2026-11-29).
  const mcpServers = (body as { mcp_servers?: unknown }).mcp_servers;
  if (family === 'anthropic' && endpoint === 'messages' && Array.isArray(mcpServers) && mcpServers.length > 0)
    return WINDOW;
  if (family === 'openai' && bringsOpenRouterResults(models, body)) return WINDOW;
  const tools = (body as { tools?: unknown }).tools;
  if (!Array.isArray(tools) || tools.length === 0) return NONE;
  if (family === 'anthropic' && endpoint === 'messages') {
    if (tools.some((t) => typeOf(t).startsWith('web_search_'))) return WINDOW;
    const fetched = fetchedInput(tools);
    return fetched === 'window' ? WINDOW : { ...NONE, tokens: fetched };
  }
  if (family === 'openai' && endpoint === 'responses') return responsesTools(tools, models);
  if (family === 'gemini' && endpoint === 'generate_content' && tools.some(readsUnbounded)) return WINDOW;
  return NONE;
}

/** OpenRouter's web plugin (`plugins: [{id: "web"}]`, or `:online` after the model) puts its
 *  results into the prompt, billed as input beside its per-result fee: "in addition to the LLM
 *  usage for the search result prompt tokens" (openrouter.ai/docs/features/web-search, Pricing).
 *  `max_results` bounds how many, not how long: "For each result, OpenRouter loads the title, URL,
 *  date, and a five-sentence summary" (openrouter.ai/docs/web-search), and its `openrouter:web_search`
 *  server tool's Exa highlights are "typically ~2,000–4,000 characters per result" — typical, not a
 *  bound (openrouter.ai/docs/guides/features/server-tools/web-search; stored copies read
 *  2026-11-30). That tool and `openrouter:web_fetch` (a whole page) bring theirs in as well. Only the
 *  context window bounds them. (Reserved at the fee alone, two gpt-4o-mini requests that each
 *  brought 100,000 tokens of results billed $0.07012 on $0.06: openrouter-web-results-budget.test.ts.) */
function bringsOpenRouterResults(models: readonly string[], body: object): boolean {
  if (models.some((m) => m.endsWith(ONLINE))) return true;
  if (webPluginOf(body)) return true;
  const tools = (body as { tools?: unknown }).tools;
  return Array.isArray(tools) && tools.some((t) => typeOf(t).startsWith('openrouter:web_'));
}

/** Gemini's URL context tool: "the content retrieved from the URLs you provide is counted as input
 *  tokens", up to 20 URLs of 34 MB each, nothing the request can bound
 *  (ai.google.dev/gemini-api/docs/url-context, read 2026-11-29). Five requests reading a
 *  300,000-token page billed $0.45 on a $0.10 budget (gemini-tool-input-budget.test.ts). */
const readsUrls = (t: object) => 'urlContext' in t || 'url_context' in t;

/** Gemini's File Search tool: "retrieved document tokens are charged as regular context tokens",
 *  as many chunks as the store's chunking gives, which the request does not say
 *  (ai.google.dev/gemini-api/docs/file-search, read 2026-11-29). Five requests retrieving 300,000
 *  tokens billed $0.45128 on a $0.10 budget (gemini-tool-input-budget.test.ts). */
const searchesFiles = (t: object) => 'fileSearch' in t || 'file_search' in t;

const readsUnbounded = (t: unknown) =>
  typeof t === 'object' && t !== null && (readsUrls(t) || searchesFiles(t));

/** xAI's own retrieval tools: what X Search finds in posts and what Collections and attachment
 *  search retrieve from documents enter the agent's conversation, billed as input beside each
 *  call's fee ("Requests which make use of xAI provided server-side tools are priced based on two
 *  components: token usage and server-side tool invocations", docs.x.ai/developers/pricing, read
 *  2026-11-30), with nothing in the request to bound them. (Reserved at the body's input, five X
 *  Search turns billed $0.3231548 on a $0.10 budget: xai-search-results-budget.test.ts.) xAI's
 *  `web_search` is bounded as OpenAI's is, below. */
const XAI_RETRIEVAL = new Set(['x_search', 'collections_search', 'attachment_search']);

/** The largest chunk a vector store may hold ("max_chunk_size_tokens ... minimum 100, maximum
 *  4096", platform.openai.com/docs/api-reference/vector-stores-files/createFile, read 2026-11-29). */
export const MAX_CHUNK_TOKENS = 4096;

/** Responses tools: web search as above; a file search's chunks, up to its `max_num_results` (1 to
 *  50) of at most MAX_CHUNK_TOKENS each a call (file-search-results-budget.test.ts: $0.11755 billed
 *  on $0.05); a remote MCP server's tool list and call outputs are
 *  billed as input, with nothing to bound them ("you pay only for tokens used when importing tool
 *  definitions or making tool calls", platform.openai.com/docs/guides/tools-connectors-mcp, read
 *  2026-11-29; responses-mcp-budget.test.ts: $0.63 billed on $0.20). */
function responsesTools(tools: readonly unknown[], models: readonly string[]): ToolContentInput {
  let perCall = 0;
  for (const t of tools) {
    const type = typeOf(t);
    if (type === 'mcp' || XAI_RETRIEVAL.has(type)) return WINDOW;
    if (type === 'file_search') {
      const results = positiveInt(field(t, 'max_num_results'));
      if (results === undefined) return WINDOW;
      perCall = Math.max(perCall, results * MAX_CHUNK_TOKENS);
      continue;
    }
    if (!type.startsWith('web_search')) continue;
    const preview = type.startsWith('web_search_preview');
    for (const m of models.map(bareModel)) {
      if (preview && FREE_PREVIEW_MODEL.test(m)) continue;
      if (!preview && MINI_SEARCH_MODEL.test(m)) perCall = Math.max(perCall, MINI_SEARCH_BLOCK);
      else return WINDOW;
    }
  }
  return perCall > 0 ? { ...NONE, perCall } : NONE;
}

/**
 * Input an Anthropic request's web fetch tools may bring in: the fetched pages and PDFs are billed
 * as input ("no additional charges beyond standard token costs",
 * docs.claude.com/en/docs/agents-and-tools/tool-use/web-fetch-tool, read 2026-11-29), bounded per
 * tool by `max_uses` × `max_content_tokens` when it names both, otherwise only by the context
 * window ('window'). Five requests fetching a 150,000-token document billed $2.26 on a $0.10
 * budget (test/integration/server-tool-content-budget.test.ts, red14).
 */
function fetchedInput(tools: readonly unknown[]): number | 'window' {
  let tokens = 0;
  for (const t of tools) {
    if (!typeOf(t).startsWith('web_fetch_')) continue;
    const uses = positiveInt(field(t, 'max_uses'));
    const each = positiveInt(field(t, 'max_content_tokens'));
    if (uses === undefined || each === undefined) return 'window';
    tokens += uses * each;
  }
  return tokens;
}
