// Usage objects of OpenAI's image and audio endpoints → Usage. These bill by their own units:
// image/audio tokens, images, seconds of audio, characters.
import type { Usage } from '../../../shared/usage.js';
import { STANDARD_DIALECT, type ProviderDialect } from './provider-dialect.js';
import { amountOrUndefined, count, countOrUndefined, field, isObject, makeUsage } from './usage-fields.js';

/** /v1/images/generations and /edits (gpt-image models): input_tokens with text/image details;
 *  output_tokens are the image's tokens unless output_tokens_details splits them. A provider that
 *  reports its charge (xAI bills its images per image, in `cost_in_usd_ticks`) is taken at it. */
export function readImagesUsage(
  usage: unknown,
  dialect: ProviderDialect = STANDARD_DIALECT,
): Usage | undefined {
  if (!isObject(usage)) return undefined;
  const inDetails = usage.input_tokens_details;
  const output = count(usage.output_tokens);
  const outImages = countOrUndefined(field(usage.output_tokens_details, 'image_tokens'));
  return makeUsage({
    inputTokens: count(usage.input_tokens),
    cachedInputTokens: count(field(inDetails, 'cached_tokens')),
    cacheWriteTokens: 0,
    outputTokens: output,
    reasoningTokens: 0,
    inputImageTokens: count(field(inDetails, 'image_tokens')),
    outputImageTokens: outImages ?? output,
    providerCostUsd: dialect.chargeUsd?.(usage),
  });
}

/** Usage of a DALL·E style answer that reports none: one unit per image in `data`. */
export function imagesFromData(data: unknown): Usage | undefined {
  if (!Array.isArray(data)) return undefined;
  return makeUsage({
    inputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    images: data.length,
  });
}

/** /v1/audio/transcriptions and /translations: `{type:"tokens", input_tokens,
 *  input_token_details:{audio_tokens,text_tokens}, output_tokens}` or `{type:"duration", seconds}`.
 *  `duration` is the top-level field of a verbose_json answer (whisper-1), used when no usage is. */
export function readTranscriptionUsage(usage: unknown, duration?: unknown): Usage | undefined {
  const seconds =
    field(usage, 'type') === 'duration' ? amountOrUndefined(field(usage, 'seconds')) : undefined;
  if (isObject(usage) && usage.type !== 'duration') {
    return makeUsage({
      inputTokens: count(usage.input_tokens),
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: count(usage.output_tokens),
      reasoningTokens: 0,
      inputAudioTokens: count(field(usage.input_token_details, 'audio_tokens')),
    });
  }
  const audioSeconds = seconds ?? amountOrUndefined(duration);
  if (audioSeconds === undefined) return undefined;
  return makeUsage({
    inputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    audioSeconds,
  });
}

/** /v1/audio/speech: the characters of the request's `input` (tts-1 bills by them) and, when the
 *  answer is an SSE stream (gpt-4o-mini-tts), the `speech.audio.done` usage: text in, audio out. */
export function readSpeechUsage(characters: number | undefined, usage?: unknown): Usage {
  const output = count(field(usage, 'output_tokens'));
  return makeUsage({
    inputTokens: count(field(usage, 'input_tokens')),
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: output,
    reasoningTokens: 0,
    outputAudioTokens: output,
    characters: characters ?? 0,
  });
}

/** Characters of a speech request's `input`, counted as Unicode code points (what a per-character
 *  price counts), or undefined when the body has none. */
export function speechCharacters(body: unknown): number | undefined {
  const input = field(body, 'input');
  if (typeof input !== 'string') return undefined;
  return [...input].length;
}
