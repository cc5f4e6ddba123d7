// OpenAI usage objects (Chat Completions / legacy Completions, Responses, Embeddings) → Usage.
import type { Usage } from '../../../shared/usage.js';
import { count, field, isObject, makeUsage } from './usage-fields.js';

/** `usage` of chat/completions and embeddings: prompt_tokens / completion_tokens. */
export function readChatUsage(usage: unknown): Usage | undefined {
  if (!isObject(usage)) return undefined;
  return makeUsage({
    inputTokens: count(usage.prompt_tokens),
    cachedInputTokens: count(field(usage.prompt_tokens_details, 'cached_tokens')),
    cacheWriteTokens: 0,
    outputTokens: count(usage.completion_tokens),
    reasoningTokens: count(field(usage.completion_tokens_details, 'reasoning_tokens')),
  });
}

/** `usage` of the Responses API: input_tokens / output_tokens with *_details. */
export function readResponsesUsage(usage: unknown): Usage | undefined {
  if (!isObject(usage)) return undefined;
  return makeUsage({
    inputTokens: count(usage.input_tokens),
    cachedInputTokens: count(field(usage.input_tokens_details, 'cached_tokens')),
    cacheWriteTokens: 0,
    outputTokens: count(usage.output_tokens),
    reasoningTokens: count(field(usage.output_tokens_details, 'reasoning_tokens')),
  });
}
