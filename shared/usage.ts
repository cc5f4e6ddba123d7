// Token usage in one normalized shape for every provider and endpoint.
// `inputTokens` is ALL input the model read, including cached reads and cache writes, so
// OpenAI's `prompt_tokens` maps straight in and Anthropic's three input fields are summed.
import { z } from 'zod';

export const UsageSchema = z.object({
  /** Every input token, cached and cache-written ones included. */
  inputTokens: z.number().int().nonnegative(),
  /** Part of inputTokens read from the provider's prompt cache. */
  cachedInputTokens: z.number().int().nonnegative(),
  /** Part of inputTokens written to the provider's prompt cache (Anthropic cache_creation). */
  cacheWriteTokens: z.number().int().nonnegative(),
  /** Every output token, reasoning/thinking included. */
  outputTokens: z.number().int().nonnegative(),
  /** Part of outputTokens spent on reasoning (already inside outputTokens: never add again). */
  reasoningTokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof UsageSchema>;

export const ZERO_USAGE: Usage = Object.freeze({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});

/** Which wire family a request speaks; decides error format, auth header and usage reader. */
export const ApiFamilySchema = z.enum(['openai', 'anthropic']);
export type ApiFamily = z.infer<typeof ApiFamilySchema>;

/** The endpoint kinds whose usage Shimmy reads; everything else is `other` (passed through, unmetered tokens). */
export const EndpointSchema = z.enum([
  'chat',
  'completions',
  'responses',
  'embeddings',
  'messages',
  'count_tokens',
  'other',
]);
export type Endpoint = z.infer<typeof EndpointSchema>;
