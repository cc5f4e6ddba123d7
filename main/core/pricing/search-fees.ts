// Per-call search fees the catalog does not carry. OpenAI's Chat Completions search models run a
// web search on every request, billed apart from the tokens as "Web search preview (non-reasoning
// models): $25 / 1k calls, search content tokens are free" (openai.com/api/pricing, as quoted at
// community.openai.com/t/search-web-using-openai-api/1363698 and modelcostwatch.com, last checked
// 2026-03-12; read 2026-11-29). The bundled catalog prices gpt-4o-mini-search-preview with its
// `gpt-4o-mini` entry (right token rates, but the Responses tool's $10 / 1k for a search) and has
// no search rate for gpt-4o-search-preview; an answer says nothing of its search but citations.
// (OpenAI's support has said one search may run several billed sub-searches, which no answer
// shows: those stay uncounted.)
import { bareModel } from '../route/bare-model.js';

const CHAT_SEARCH_MODEL = /^gpt-4o(?:-mini)?-search-preview(?:-\d{4}-\d{2}-\d{2})?$/;

/** USD per search for a model that searches on every request, or undefined. */
export function perRequestSearchUsd(catalogProvider: string, model: string): number | undefined {
  if (catalogProvider !== 'openai' && catalogProvider !== 'azure') return undefined;
  return CHAT_SEARCH_MODEL.test(bareModel(model)) ? 0.025 : undefined;
}
