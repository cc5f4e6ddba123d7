// Which requests may be answered from the cache: replaying a sampled answer to a caller who
// expects fresh randomness would be a silent behaviour change, so the default is conservative.
import type { Endpoint } from '../../../shared/usage.js';
import { isObject } from '../meter/usage-fields.js';

export type ReplayPolicy = 'deterministic' | 'always';

export type RequestHeaders = Record<string, string | string[] | undefined>;

const CACHEABLE: ReadonlySet<Endpoint> = new Set([
  'chat',
  'completions',
  'responses',
  'messages',
  'embeddings',
]);

/** Every value of a header, whatever the case of its name in the record. */
function headerValues(headers: RequestHeaders, name: string): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== name || v === undefined) continue;
    out.push(...(Array.isArray(v) ? v : [v]));
  }
  return out;
}

/** Comma-separated directives, lowercased, without `=value` parts. */
function directives(headers: RequestHeaders, name: string): Set<string> {
  return new Set(
    headerValues(headers, name)
      .flatMap((v) => v.split(','))
      .map((d) => d.split('=')[0]!.trim().toLowerCase()),
  );
}

/** The request asked not to be served from or written to the cache. */
export function optsOut(headers: RequestHeaders): boolean {
  const cacheControl = directives(headers, 'cache-control');
  return (
    directives(headers, 'x-shimmy-cache').has('no-store') ||
    cacheControl.has('no-cache') ||
    cacheControl.has('no-store')
  );
}

/**
 * deterministic: embeddings always; chat/completions/responses/messages only when temperature === 0
 * or a `seed` is set; never for `n` > 1. 'always': any of those endpoints. Never for other endpoints,
 * and never when the request opts out (`x-shimmy-cache: no-store` or `cache-control: no-cache`/`no-store`).
 */
export function isReplayable(input: {
  endpoint: Endpoint;
  body: unknown;
  headers: RequestHeaders;
  policy: ReplayPolicy;
}): boolean {
  if (!CACHEABLE.has(input.endpoint) || optsOut(input.headers)) return false;
  // The key is made from the JSON body: without one (a form body has none), every such request
  // of an endpoint would share one key and get one another's answers.
  const body = input.body;
  if (!isObject(body)) return false;
  if (input.policy === 'always' || input.endpoint === 'embeddings') return true;
  if (typeof body.n === 'number' && body.n > 1) return false;
  return body.temperature === 0 || (body.seed !== undefined && body.seed !== null);
}
