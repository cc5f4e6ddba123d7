// The input side of a reservation, priced at its worst: a prompt the request asks to cache may be
// written to the cache, which costs more than reading it plainly (Anthropic: 1.25× for 5 minutes,
// 2× for 1 hour). Anthropic writes only where the request puts `cache_control`; other providers
// cache on their own, so there the write rate is assumed whenever the price has one above input.
// A tier the request names is priced as well: OpenAI `service_tier` (priority ≈ 2×), Anthropic
// fast mode (`speed: "fast"`, 6×) and US-only inference (`inference_geo: "us"`, 1.1×). So are
// the server-side web searches it may run (billed per call: web-search-uses.ts).
import type { ApiFamily, Usage } from '../../../shared/usage.js';
import type { CostOf } from './output-cap.js';
import { namesNoTier } from './served-tiers.js';
import { fallbackEntries } from './body-fallbacks.js';
import { isClaudeModel } from '../route/bare-model.js';

export interface CacheAsk {
  /** Some `cache_control` (or a top-level automatic one) asks for a cache write. */
  writes: boolean;
  /** One of them asks for the 1-hour TTL. */
  oneHour: boolean;
}

/** A Claude request through another API (OpenRouter's Chat Completions) that asks for 1-hour cache
 *  writes: that API's usage reports its writes without their TTL (`cache_write_tokens`), so the
 *  answer's writes are priced at the 1-hour rate (relay-response.ts, `oneHourCacheWrites`). */
export function asksClaudeOneHourElsewhere(family: ApiFamily, model: string, body: unknown): boolean {
  return family !== 'anthropic' && isClaudeModel(model) && cacheAsk(body).oneHour;
}

/** Walks the request for `cache_control` markers (system, tools, message blocks, top level).
 *  Bounded: bodies are already bounded by bodyLimitBytes, and the walk stops at the first 1h. */
export function cacheAsk(body: unknown): CacheAsk {
  const ask: CacheAsk = { writes: false, oneHour: false };
  const stack: unknown[] = [body];
  while (stack.length > 0 && !ask.oneHour) {
    const x = stack.pop();
    if (Array.isArray(x)) {
      for (const item of x) if (typeof item === 'object' && item !== null) stack.push(item);
    } else if (typeof x === 'object' && x !== null) {
      for (const [k, v] of Object.entries(x as Record<string, unknown>)) {
        if (k === 'cache_control' && typeof v === 'object' && v !== null) {
          ask.writes = true;
          if ((v as { ttl?: unknown }).ttl === '1h') ask.oneHour = true;
        } else if (typeof v === 'object' && v !== null) stack.push(v);
      }
    }
  }
  return ask;
}

/** How far above Shimmy's count a provider may count the same input where Shimmy has not got the
 *  provider's tokenizer. Claude's is counted as o200k_base × 1.16 for prose while Claude's own count
 *  was measured up to × 1.30 (code; meter/token-count.ts): 1.30 / 1.16 = 1.12. Gemini's and other
 *  models' counted with o200k_base: no published figure, the same margin assumed. */
export const FOREIGN_COUNT_MARGIN = 1.12;

/** The input a reservation prices: `counted`, or just past a long-context threshold (`starts`)
 *  that the provider's own count may pass — `counted` within `margin` under it. Past it the whole
 *  request is billed at the tier (gemini-2.5-pro: 2× input, 1.5× output past 200,000), so an
 *  estimate just under it reserved about half of what the answer cost. */
export function pastNearThreshold(counted: number, starts: readonly number[], margin: number): number {
  let n = counted;
  for (const start of starts) if (n <= start && Math.ceil(n * margin) > start) n = start + 1;
  return n;
}

/** The dearest way `inputTokens` can be billed for this request, as a Usage (no output yet). */
export function reservedInput(
  family: ApiFamily,
  body: unknown,
  inputTokens: number,
  cost: CostOf,
  /** Server-side searches the request may run (web-search-uses.ts), billed per call. */
  webSearches = 0,
  /** OpenAI: the tier a request naming none is served at, when answers have said (served-tiers.ts);
   *  unknown, it is priced at Priority too. */
  projectTier?: string,
  /** The searches are OpenAI file searches (the request has no web search tool). */
  fileSearchOnly = false,
): { usage: Usage; usd: number } | null {
  const plain: Usage = {
    inputTokens,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
  };
  const base: Usage[] = [plain];
  // Elsewhere the provider may write the cache on its own; a Claude model served through an
  // OpenAI-compatible route (OpenRouter) also takes Anthropic's `cache_control` with its 1-hour
  // TTL, billed at 2× input there too: the body is walked for it where the price has that rate.
  const ask =
    family === 'anthropic'
      ? cacheAsk(body)
      : {
          writes: true,
          oneHour:
            cost({ ...plain, cacheWriteTokens: 1, cacheWrite1hTokens: 1 }) !== null && cacheAsk(body).oneHour,
        };
  if (ask.writes) base.push({ ...plain, cacheWriteTokens: inputTokens });
  if (ask.oneHour) base.push({ ...plain, cacheWriteTokens: inputTokens, cacheWrite1hTokens: inputTokens });
  // A tier the request asks for is priced too (the dearer of it and the standard price is kept).
  const tier = requestedTier(family, body, projectTier);
  const candidates = tier ? [...base, ...base.map((u) => ({ ...u, ...tier }))] : base;
  // With the searches it may run; a price without a per-search rate prices none (the answer is
  // then charged what its reservation held: charge-unread.ts).
  if (webSearches > 0) {
    const searching = dearest(
      candidates.map((u) =>
        fileSearchOnly ? { ...u, fileSearchCalls: webSearches } : { ...u, webSearchRequests: webSearches },
      ),
      cost,
    );
    if (searching) return searching;
  }
  return dearest(candidates, cost);
}

function dearest(candidates: readonly Usage[], cost: CostOf): { usage: Usage; usd: number } | null {
  let best: { usage: Usage; usd: number } | null = null;
  for (const usage of candidates) {
    // A dimension the price lacks (e.g. no 1-hour write price) cannot be how it is billed.
    const usd = cost(usage);
    if (usd !== null && (!best || usd > best.usd)) best = { usage, usd };
  }
  return best;
}

/** The tier and region the request asks to be served at, as the answer will report them
 *  (meter/anthropic-usage.ts reads `speed: "fast"` as the tier `fast`). */
function requestedTier(
  family: ApiFamily,
  body: unknown,
  projectTier: string | undefined,
): Pick<Usage, 'serviceTier' | 'inferenceGeo'> | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { service_tier?: unknown; speed?: unknown; inference_geo?: unknown };
  if (family === 'openai') {
    // OpenAI `service_tier: "priority"` (about 2× the standard price), `"flex"` or `"scale"`;
    // none or `auto`: the project's tier, Priority while answers have not said.
    const tier = namesNoTier(body) ? (projectTier ?? 'priority') : b.service_tier;
    return tier === 'priority' || tier === 'flex' || tier === 'scale' ? { serviceTier: tier } : undefined;
  }
  if (family !== 'anthropic') return undefined;
  const asked: Pick<Usage, 'serviceTier' | 'inferenceGeo'> = {};
  // A server-side fallback entry may ask for fast mode for its own hop (body-fallbacks.ts).
  if (
    b.speed === 'fast' ||
    fallbackEntries(body as Record<string, unknown>).some(
      (e) => (e as { speed?: unknown } | null)?.speed === 'fast',
    )
  )
    asked.serviceTier = 'fast';
  if (typeof b.inference_geo === 'string') asked.inferenceGeo = b.inference_geo;
  return asked.serviceTier !== undefined || asked.inferenceGeo !== undefined ? asked : undefined;
}
