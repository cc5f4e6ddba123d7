// Anthropic Messages usage → Usage. Anthropic's input_tokens EXCLUDES both cache kinds, so the
// three input fields are summed into inputTokens.
import type { Usage } from '../../../shared/usage.js';
import { countOrUndefined, isObject, makeUsage } from './usage-fields.js';

/** The raw Anthropic counts as last seen; undefined = not reported yet. */
export interface AnthropicCounts {
  input?: number;
  cacheWrite?: number;
  cacheRead?: number;
  output?: number;
}

/** Overlays the non-null counts of a usage object onto `prev` (message_delta repeats are cumulative). */
export function mergeAnthropicCounts(prev: AnthropicCounts, usage: unknown): AnthropicCounts {
  if (!isObject(usage)) return prev;
  return {
    input: countOrUndefined(usage.input_tokens) ?? prev.input,
    cacheWrite: countOrUndefined(usage.cache_creation_input_tokens) ?? prev.cacheWrite,
    cacheRead: countOrUndefined(usage.cache_read_input_tokens) ?? prev.cacheRead,
    output: countOrUndefined(usage.output_tokens) ?? prev.output,
  };
}

export function anthropicCountsToUsage(c: AnthropicCounts): Usage {
  const cacheWrite = c.cacheWrite ?? 0;
  const cacheRead = c.cacheRead ?? 0;
  return makeUsage({
    inputTokens: (c.input ?? 0) + cacheWrite + cacheRead,
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    outputTokens: c.output ?? 0,
    // Anthropic does not break thinking out of output_tokens.
    reasoningTokens: 0,
  });
}

export function readAnthropicUsage(usage: unknown): Usage | undefined {
  if (!isObject(usage)) return undefined;
  return anthropicCountsToUsage(mergeAnthropicCounts({}, usage));
}
