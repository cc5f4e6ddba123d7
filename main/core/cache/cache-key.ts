// The exact-match cache key: two requests share an answer only when provider, upstream model,
// endpoint and body are equal as JSON values (object key order is noise, array order is not).
import { createHash } from 'node:crypto';
import type { Endpoint } from '../../../shared/usage.js';

/** JSON with object keys sorted at every depth; arrays keep their order; `undefined` members are dropped like JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  // A string a big body left in its bytes (meter/unread-string.ts) keys as the string it is.
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  )
    return JSON.stringify(value);
  if (value !== null && typeof value === 'object') {
    const members = Object.keys(value)
      .sort()
      .flatMap((k) => {
        const v = (value as Record<string, unknown>)[k];
        return v === undefined ? [] : [`${JSON.stringify(k)}:${canonicalJson(v)}`];
      });
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const CACHE_KEY_RE = /^[0-9a-f]{64}$/;

/** sha256 hex of the canonical JSON of the request's identity. */
export function cacheKey(input: {
  provider: string;
  model: string;
  endpoint: Endpoint;
  body: unknown;
}): string {
  // An array, not string concatenation, so no provider/model pair can be spliced into another.
  const canonical = canonicalJson([input.provider, input.model, input.endpoint, input.body]);
  return createHash('sha256').update(canonical).digest('hex');
}
