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

export function field(obj: unknown, key: string): unknown {
  return isObject(obj) ? obj[key] : undefined;
}

/** Keeps the "part of" counts inside their totals so a provider glitch can't price tokens twice. */
export function makeUsage(u: Usage): Usage {
  const inputTokens = u.inputTokens;
  const cacheWriteTokens = Math.min(u.cacheWriteTokens, inputTokens);
  const cachedInputTokens = Math.min(u.cachedInputTokens, inputTokens - cacheWriteTokens);
  return {
    inputTokens,
    cachedInputTokens,
    cacheWriteTokens,
    outputTokens: u.outputTokens,
    reasoningTokens: Math.min(u.reasoningTokens, u.outputTokens),
  };
}
