// Exact request cost from normalized usage and a per-1M-token price.
import { roundUsd } from '../../../shared/money.js';
import type { Price } from '../../../shared/prices.js';
import type { ApiFamily, Usage } from '../../../shared/usage.js';

/** Anthropic bills 5-minute cache writes at 1.25× and cache reads at 0.1× the input price when a
 *  table has no explicit cache prices; OpenAI bills unpriced cached tokens at the input rate. */
const ANTHROPIC_CACHE_READ_FACTOR = 0.1;
const ANTHROPIC_CACHE_WRITE_FACTOR = 1.25;

/** Exact cost in USD, rounded with roundUsd. Reasoning tokens are part of outputTokens and are
 *  never added again; cached and cache-written tokens are part of inputTokens and are priced
 *  instead of, never on top of, the plain input rate. */
export function costUsd(family: ApiFamily, price: Price, usage: Usage): number {
  const cachedRate =
    price.cachedInput ?? (family === 'anthropic' ? price.input * ANTHROPIC_CACHE_READ_FACTOR : price.input);
  const writeRate =
    price.cacheWrite ?? (family === 'anthropic' ? price.input * ANTHROPIC_CACHE_WRITE_FACTOR : price.input);
  const cached = usage.cachedInputTokens;
  const written = usage.cacheWriteTokens;
  const plain = Math.max(0, usage.inputTokens - cached - written);
  // Sum in "USD per 1M" units, then scale once: fewer float steps than per-token prices.
  const perMillion =
    plain * price.input + cached * cachedRate + written * writeRate + usage.outputTokens * price.output;
  return roundUsd(perMillion / 1_000_000);
}
