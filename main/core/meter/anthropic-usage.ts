// Anthropic Messages usage → Usage. Anthropic's input_tokens EXCLUDES both cache kinds, so the
// three input fields are summed into inputTokens.
import type { Usage } from '../../../shared/usage.js';
import { countOrUndefined, field, isObject, labelOrUndefined, makeUsage } from './usage-fields.js';

/** The raw Anthropic counts as last seen; undefined = not reported yet. */
export interface AnthropicCounts {
  input?: number;
  cacheWrite?: number;
  /** `cache_creation.ephemeral_5m_input_tokens` / `ephemeral_1h_input_tokens`. */
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  cacheRead?: number;
  output?: number;
  /** `server_tool_use.web_search_requests`. */
  webSearches?: number;
  serviceTier?: string;
  /** `speed`: "fast" is fast mode, billed at its own multiple. */
  speed?: string;
  inferenceGeo?: string;
  /** The compaction sub-requests among `usage.iterations`, which the top-level counts leave out. */
  compaction?: CompactionCounts;
}

/** Summed `compaction` entries of `usage.iterations` (@anthropic-ai/sdk 1.13.0
 *  `BetaCompactionIterationUsage`): the server-side request that summarizes a context Claude
 *  closes ("A `compaction` entry's tokens are not included in the top-level `usage` fields"), run
 *  by the same model on a context of 150,000 tokens or more by default. Read at the top level
 *  alone, a compacting request billed $0.52203 was recorded $0.027, and the budget's next
 *  requests were admitted on that (found by red21, 2026-11-29; anthropic-compaction-cost.test.ts).
 *  Summed into the request's counts, a compaction and its answer passing a long-context threshold
 *  together are priced at the higher tier. */
interface CompactionCounts {
  input: number;
  cacheWrite: number;
  cacheRead: number;
  output: number;
}

function compactionCounts(iterations: unknown): CompactionCounts | undefined {
  if (!Array.isArray(iterations)) return undefined;
  const sum: CompactionCounts = { input: 0, cacheWrite: 0, cacheRead: 0, output: 0 };
  for (const it of iterations) {
    if (field(it, 'type') !== 'compaction') continue;
    sum.input += countOrUndefined(field(it, 'input_tokens')) ?? 0;
    sum.cacheWrite += countOrUndefined(field(it, 'cache_creation_input_tokens')) ?? 0;
    sum.cacheRead += countOrUndefined(field(it, 'cache_read_input_tokens')) ?? 0;
    sum.output += countOrUndefined(field(it, 'output_tokens')) ?? 0;
  }
  return sum;
}

/** Overlays the non-null counts of a usage object onto `prev` (message_delta repeats are cumulative). */
export function mergeAnthropicCounts(prev: AnthropicCounts, usage: unknown): AnthropicCounts {
  if (!isObject(usage)) return prev;
  const creation = usage.cache_creation;
  return {
    input: countOrUndefined(usage.input_tokens) ?? prev.input,
    cacheWrite: countOrUndefined(usage.cache_creation_input_tokens) ?? prev.cacheWrite,
    cacheWrite5m: countOrUndefined(field(creation, 'ephemeral_5m_input_tokens')) ?? prev.cacheWrite5m,
    cacheWrite1h: countOrUndefined(field(creation, 'ephemeral_1h_input_tokens')) ?? prev.cacheWrite1h,
    cacheRead: countOrUndefined(usage.cache_read_input_tokens) ?? prev.cacheRead,
    output: countOrUndefined(usage.output_tokens) ?? prev.output,
    webSearches: countOrUndefined(field(usage.server_tool_use, 'web_search_requests')) ?? prev.webSearches,
    serviceTier: labelOrUndefined(usage.service_tier) ?? prev.serviceTier,
    speed: labelOrUndefined(usage.speed) ?? prev.speed,
    inferenceGeo: labelOrUndefined(usage.inference_geo) ?? prev.inferenceGeo,
    compaction: compactionCounts(usage.iterations) ?? prev.compaction,
  };
}

export function anthropicCountsToUsage(c: AnthropicCounts): Usage {
  // The TTL split, when given, is the whole of the writes (a proxy may send only the split).
  const split = (c.cacheWrite5m ?? 0) + (c.cacheWrite1h ?? 0);
  const k = c.compaction;
  const cacheWrite = Math.max(c.cacheWrite ?? 0, split) + (k?.cacheWrite ?? 0);
  const cacheRead = (c.cacheRead ?? 0) + (k?.cacheRead ?? 0);
  // Fast mode is billed as a tier of its own; otherwise the tier the answer names.
  const tier = c.speed === 'fast' ? 'fast' : c.serviceTier;
  return makeUsage({
    inputTokens: (c.input ?? 0) + (k?.input ?? 0) + cacheWrite + cacheRead,
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    outputTokens: (c.output ?? 0) + (k?.output ?? 0),
    // Anthropic does not break thinking out of output_tokens.
    reasoningTokens: 0,
    cacheWrite1hTokens: c.cacheWrite1h ?? 0,
    webSearchRequests: c.webSearches ?? 0,
    ...(tier ? { serviceTier: tier } : {}),
    ...(c.inferenceGeo ? { inferenceGeo: c.inferenceGeo } : {}),
  });
}

export function readAnthropicUsage(usage: unknown): Usage | undefined {
  if (!isObject(usage)) return undefined;
  return anthropicCountsToUsage(mergeAnthropicCounts({}, usage));
}
