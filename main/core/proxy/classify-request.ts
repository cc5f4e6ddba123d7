// The request line → the path the provider will serve (normalized, see normalize-path.ts), its
// API family and endpoint, and the query. Classification runs on that normalized path, and the
// same path goes upstream: what is metered is what is served.
import type { IncomingHttpHeaders } from 'node:http';
import type { ApiFamily, Endpoint } from '../../../shared/usage.js';
import { classifyPath } from '../route/classify-path.js';
import { normalizePath } from '../route/normalize-path.js';

export interface ClassifiedRequest {
  /** The normalized path (known endpoints in their canonical lower case): sent upstream and recorded. */
  pathname: string;
  search: string;
  family: ApiFamily;
  endpoint: Endpoint;
  /** Set when the path cannot be read one way only: the request is refused with it. */
  pathError?: string;
}

export function classifyRequest(rawUrl: string, headers: IncomingHttpHeaders): ClassifiedRequest {
  const q = rawUrl.indexOf('?');
  const raw = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const search = q < 0 ? '' : rawUrl.slice(q);
  const norm = normalizePath(raw);
  if (!norm.ok) {
    // Refused in the caller's format: Anthropic clients say so in their headers.
    const anthropic = headers['anthropic-version'] !== undefined || headers['x-api-key'] !== undefined;
    return {
      pathname: raw,
      search,
      family: anthropic ? 'anthropic' : 'openai',
      endpoint: 'other',
      pathError: `Shimmy cannot route ${JSON.stringify(raw.slice(0, 200))}: ${norm.reason}.`,
    };
  }
  const exact = classifyPath(norm.path);
  if (exact.endpoint !== 'other') return { pathname: norm.path, search, ...exact };
  // Providers' routers may ignore case: a known endpoint in any case is that endpoint, and goes
  // upstream in its canonical case.
  const lower = norm.path.toLowerCase();
  const folded = classifyPath(lower);
  return { pathname: folded.endpoint === 'other' ? norm.path : lower, search, ...folded };
}
