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
  };
}

export function anthropicCountsToUsage(c: AnthropicCounts): Usage {
  // The TTL split, when given, is the whole of the writes (a proxy may send only the split).
  const split = (c.cacheWrite5m ?? 0) + (c.cacheWrite1h ?? 0);
  const cacheWrite = Math.max(c.cacheWrite ?? 0, split);
  const cacheRead = c.cacheRead ?? 0;
  // Fast mode is billed as a tier of its own; otherwise the tier the answer names.
  const tier = c.speed === 'fast' ? 'fast' : c.serviceTier;
  return makeUsage({
    inputTokens: (c.input ?? 0) + cacheWrite + cacheRead,
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    outputTokens: c.output ?? 0,
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
