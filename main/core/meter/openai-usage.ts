// OpenAI usage objects (Chat Completions / legacy Completions, Responses, Embeddings) → Usage,
// with the OpenAI-compatible providers' variations (see provider-dialect.ts).
import type { Usage } from '../../../shared/usage.js';
import { STANDARD_DIALECT, type ProviderDialect } from './provider-dialect.js';
import { count, countOrUndefined, field, isObject, labelOrUndefined, makeUsage } from './usage-fields.js';

/** `usage` of chat/completions and embeddings: prompt_tokens / completion_tokens.
 *  `serviceTier` is the answer's top-level `service_tier` (it is not inside `usage`). */
export function readChatUsage(
  usage: unknown,
  dialect: ProviderDialect = STANDARD_DIALECT,
  serviceTier?: unknown,
): Usage | undefined {
  if (!isObject(usage)) return undefined;
  const inDetails = usage.prompt_tokens_details;
  const outDetails = usage.completion_tokens_details;
  // DeepSeek: hit + miss = prompt_tokens, and prompt_tokens_details may be absent.
  const hit = countOrUndefined(usage.prompt_cache_hit_tokens);
  const miss = countOrUndefined(usage.prompt_cache_miss_tokens);
  const prompt = Math.max(count(usage.prompt_tokens), (hit ?? 0) + (miss ?? 0));
  const completion = count(usage.completion_tokens);
  const reasoning = count(field(outDetails, 'reasoning_tokens'));
  // xAI counts reasoning outside completion_tokens; so does any service whose total says so
  // (total = prompt + completion + reasoning), e.g. some Gemini OpenAI-compatible gateways.
  const total = countOrUndefined(usage.total_tokens);
  const outside =
    reasoning > 0 &&
    (dialect.reasoningOutsideOutput === true ||
      (total !== undefined && total === prompt + completion + reasoning));
  return makeUsage({
    inputTokens: prompt,
    cachedInputTokens: hit ?? count(field(inDetails, 'cached_tokens')),
    // OpenRouter reports prompt-cache writes of the models that bill them.
    cacheWriteTokens: count(field(inDetails, 'cache_write_tokens')),
    outputTokens: outside ? completion + reasoning : completion,
    reasoningTokens: reasoning,
    inputAudioTokens: count(field(inDetails, 'audio_tokens')),
    cachedInputAudioTokens: count(field(field(inDetails, 'cached_tokens_details'), 'audio_tokens')),
    outputAudioTokens: count(field(outDetails, 'audio_tokens')),
    outputImageTokens: count(field(outDetails, 'image_tokens')),
    serviceTier: labelOrUndefined(serviceTier),
    providerCostUsd: dialect.chargeUsd?.(usage),
  });
}

/** `usage` of the Responses API: input_tokens / output_tokens with *_details. The response's
 *  own fields (service tier, web search calls) are read by the caller from the response. */
export function readResponsesUsage(
  usage: unknown,
  dialect: ProviderDialect = STANDARD_DIALECT,
): Usage | undefined {
  if (!isObject(usage)) return undefined;
  const input = count(usage.input_tokens);
  const reasoning = count(field(usage.output_tokens_details, 'reasoning_tokens'));
  const output = count(usage.output_tokens);
  // Reasoning is inside output_tokens unless the total says otherwise.
  const outside = reasoning > 0 && count(usage.total_tokens) === input + output + reasoning;
  return makeUsage({
    inputTokens: input,
    cachedInputTokens: count(field(usage.input_tokens_details, 'cached_tokens')),
    // GPT-5.6 on bills cache writes at 1.25× input; the answer says how many it wrote.
    cacheWriteTokens: count(field(usage.input_tokens_details, 'cache_write_tokens')),
    outputTokens: outside ? output + reasoning : output,
    reasoningTokens: reasoning,
    providerCostUsd: dialect.chargeUsd?.(usage),
  });
}
