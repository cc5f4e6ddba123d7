// Gemini native `usageMetadata` → Usage. promptTokenCount includes the cached content;
// thoughtsTokenCount is billed as output but is NOT inside candidatesTokenCount, so it is added
// in; toolUsePromptTokenCount (tool results fed back to the model) is billed as input.
import type { Usage } from '../../../shared/usage.js';
import { count, field, isObject, makeUsage } from './usage-fields.js';

export function readGeminiUsage(meta: unknown): Usage | undefined {
  if (!isObject(meta)) return undefined;
  const thoughts = count(meta.thoughtsTokenCount);
  return makeUsage({
    inputTokens: count(meta.promptTokenCount) + count(meta.toolUsePromptTokenCount),
    cachedInputTokens: count(meta.cachedContentTokenCount),
    cacheWriteTokens: 0,
    outputTokens: count(meta.candidatesTokenCount) + thoughts,
    reasoningTokens: thoughts,
    // Audio is priced apart from text and images on input; image and audio output apart too.
    inputAudioTokens: modality(meta.promptTokensDetails, 'AUDIO'),
    cachedInputAudioTokens: modality(meta.cacheTokensDetails, 'AUDIO'),
    outputAudioTokens: modality(meta.candidatesTokensDetails, 'AUDIO'),
    outputImageTokens: modality(meta.candidatesTokensDetails, 'IMAGE'),
  });
}

/** Tokens of one modality in a `ModalityTokenCount[]` list. */
function modality(list: unknown, name: string): number {
  if (!Array.isArray(list)) return 0;
  let n = 0;
  for (const m of list) if (field(m, 'modality') === name) n += count(field(m, 'tokenCount'));
  return n;
}
