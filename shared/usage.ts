// Token usage in one normalized shape for every provider and endpoint.
// `inputTokens` is ALL input the model read, including cached reads and cache writes, so
// OpenAI's `prompt_tokens` maps straight in and Anthropic's three input fields are summed.
// `outputTokens` is ALL output billed as output, reasoning/thinking included — also where a
// provider reports reasoning outside its output count (xAI, Gemini's thoughts): the reader adds
// it in, so pricing never has to know which provider did what.
// Every field after the first five is optional: a record from an older version, or a provider
// that does not report a dimension, simply lacks it. Optional "part of" fields are subsets of
// the total named beside them and are priced instead of, never on top of, that total's rate.
import { z } from 'zod';

const Count = z.number().int().nonnegative();

export const UsageSchema = z.object({
  /** Every input token, cached and cache-written ones included. */
  inputTokens: Count,
  /** Part of inputTokens read from the provider's prompt cache. */
  cachedInputTokens: Count,
  /** Part of inputTokens written to the provider's prompt cache (5-minute and 1-hour writes). */
  cacheWriteTokens: Count,
  /** Every output token, reasoning/thinking included. */
  outputTokens: Count,
  /** Part of outputTokens spent on reasoning (already inside outputTokens: never add again). */
  reasoningTokens: Count,
  /** Part of cacheWriteTokens written with a 1-hour TTL (Anthropic `ephemeral_1h_input_tokens`);
   *  the rest of cacheWriteTokens are 5-minute writes. */
  cacheWrite1hTokens: Count.optional(),
  /** Part of inputTokens that were audio (`prompt_tokens_details.audio_tokens`). */
  inputAudioTokens: Count.optional(),
  /** Part of cachedInputTokens that were audio. */
  cachedInputAudioTokens: Count.optional(),
  /** Part of inputTokens that were images (image-generation/edit endpoints report them). */
  inputImageTokens: Count.optional(),
  /** Part of outputTokens that were audio (`completion_tokens_details.audio_tokens`). */
  outputAudioTokens: Count.optional(),
  /** Part of outputTokens that were images (image generation). */
  outputImageTokens: Count.optional(),
  /** Server-side web searches billed per call (Anthropic `server_tool_use.web_search_requests`,
   *  OpenAI `web_search_call` output items). */
  webSearchRequests: Count.optional(),
  /** OpenAI Responses file search calls, billed per call (`file_search_call` output items). */
  fileSearchCalls: Count.optional(),
  /** xAI code execution calls, billed per call (`code_interpreter_call` output items at xAI). */
  codeExecutionCalls: Count.optional(),
  /** OpenAI Responses code interpreter containers the answer created, billed per session by
   *  their memory (distinct `container_id`s of `code_interpreter_call` items, `auto` container). */
  containers: Count.optional(),
  /** GB of memory of those containers (the tool's `memory_limit`: 1, 4, 16 or 64; 1 when absent). */
  containerMemoryGb: Count.optional(),
  /** Non-token units of endpoints that bill by them: seconds of audio transcribed/translated. */
  audioSeconds: z.number().nonnegative().optional(),
  /** Characters of text turned into speech (tts-1 style pricing). */
  characters: Count.optional(),
  /** Images generated where the provider bills per image, not per token. */
  images: Count.optional(),
  /** The service tier that served the request, as the answer reports it
   *  (OpenAI `service_tier`: default/priority/flex/scale; Anthropic `service_tier` / fast mode). */
  serviceTier: z.string().max(40).optional(),
  /** Anthropic `inference_geo` (or another provider's region tag) when it changes the price. */
  inferenceGeo: z.string().max(40).optional(),
  /** The provider's own charge in USD for this request, when it reports one (OpenRouter
   *  `usage.cost`): that is the cost. */
  providerCostUsd: z.number().nonnegative().optional(),
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
export const ApiFamilySchema = z.enum(['openai', 'anthropic', 'gemini']);
export type ApiFamily = z.infer<typeof ApiFamilySchema>;

/** The endpoint kinds whose usage Shimmy reads; everything else is `other` (passed through, unmetered tokens). */
export const EndpointSchema = z.enum([
  'chat',
  'completions',
  'responses',
  'embeddings',
  'messages',
  'count_tokens',
  /** /v1/images/generations and /v1/images/edits. */
  'images',
  /** /v1/audio/transcriptions and /v1/audio/translations. */
  'audio_transcription',
  /** /v1/audio/speech (text to speech). */
  'audio_speech',
  /** Gemini native `models/*:generateContent` / `:streamGenerateContent`. */
  'generate_content',
  'other',
]);
export type Endpoint = z.infer<typeof EndpointSchema>;
