// Tolerant readers for provider JSON: a missing, null or malformed count reads as 0, never NaN.
import type { Usage } from '../../../shared/usage.js';

export type Json = Record<string, unknown>;

export function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A non-negative integer count, or undefined when the field is absent or not a count. */
export function countOrUndefined(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0 ? Math.round(x) : undefined;
}

export function count(x: unknown): number {
  return countOrUndefined(x) ?? 0;
}

/** A non-negative finite number (seconds, dollars), or undefined. */
export function amountOrUndefined(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : undefined;
}

/** A short label (service tier, region) as the schema keeps it, or undefined. */
export function labelOrUndefined(x: unknown): string | undefined {
  return typeof x === 'string' && x !== '' && x.length <= 40 ? x : undefined;
}

export function field(obj: unknown, key: string): unknown {
  return isObject(obj) ? obj[key] : undefined;
}

/**
 * A Usage with its "part of" counts kept inside their totals, so a provider glitch can't price a
 * token twice or push a bucket below zero. Optional dimensions are set only when reported
 * (a zero count is left out: records stay small and old records compare equal); the provider's
 * own cost is kept even when 0 (a free model is really $0).
 */
export function makeUsage(u: Usage): Usage {
  const input = u.inputTokens;
  const cacheWrite = Math.min(u.cacheWriteTokens, input);
  const cached = Math.min(u.cachedInputTokens, input - cacheWrite);
  const output = u.outputTokens;
  const out: Usage = {
    inputTokens: input,
    cachedInputTokens: cached,
    cacheWriteTokens: cacheWrite,
    outputTokens: output,
    reasoningTokens: Math.min(u.reasoningTokens, output),
  };
  // Input buckets priced apart: uncached text = input − cached − written − uncached audio − images ≥ 0.
  const fresh = input - cached - cacheWrite;
  setCount(out, 'cacheWrite1hTokens', Math.min(u.cacheWrite1hTokens ?? 0, cacheWrite));
  const cachedAudio = Math.min(u.cachedInputAudioTokens ?? 0, cached);
  const audio = Math.max(cachedAudio, Math.min(u.inputAudioTokens ?? 0, cachedAudio + fresh));
  setCount(out, 'inputAudioTokens', audio);
  setCount(out, 'cachedInputAudioTokens', cachedAudio);
  setCount(out, 'inputImageTokens', Math.min(u.inputImageTokens ?? 0, fresh - (audio - cachedAudio)));
  const outAudio = Math.min(u.outputAudioTokens ?? 0, output);
  setCount(out, 'outputAudioTokens', outAudio);
  setCount(out, 'outputImageTokens', Math.min(u.outputImageTokens ?? 0, output - outAudio));
  setCount(out, 'webSearchRequests', u.webSearchRequests ?? 0);
  setCount(out, 'fileSearchCalls', u.fileSearchCalls ?? 0);
  setCount(out, 'codeExecutionCalls', u.codeExecutionCalls ?? 0);
  setCount(out, 'containers', u.containers ?? 0);
  if (out.containers) setCount(out, 'containerMemoryGb', u.containerMemoryGb ?? 0);
  setCount(out, 'characters', u.characters ?? 0);
  setCount(out, 'images', u.images ?? 0);
  if (u.audioSeconds !== undefined && u.audioSeconds > 0) out.audioSeconds = u.audioSeconds;
  if (u.serviceTier) out.serviceTier = u.serviceTier;
  if (u.inferenceGeo) out.inferenceGeo = u.inferenceGeo;
  if (u.providerCostUsd !== undefined) out.providerCostUsd = u.providerCostUsd;
  return out;
}

type CountKey =
  | 'cacheWrite1hTokens'
  | 'inputAudioTokens'
  | 'cachedInputAudioTokens'
  | 'inputImageTokens'
  | 'outputAudioTokens'
  | 'outputImageTokens'
  | 'webSearchRequests'
  | 'fileSearchCalls'
  | 'codeExecutionCalls'
  | 'containers'
  | 'containerMemoryGb'
  | 'characters'
  | 'images';

function setCount(u: Usage, key: CountKey, n: number): void {
  if (n > 0) u[key] = n;
}
