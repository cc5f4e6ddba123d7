// The request line → the path the provider will serve (normalized, see normalize-path.ts), its
// API family and endpoint, and the query. Classification runs on that normalized path, and the
// same path goes upstream: what is metered is what is served.
import type { IncomingHttpHeaders } from 'node:http';
import { classifyPath, familyOfHeaders, type PathClass } from '../route/classify-path.js';
import { normalizePath } from '../route/normalize-path.js';

export interface ClassifiedRequest {
  cls: PathClass;
  /** The normalized client path (recorded in the ledger). */
  pathname: string;
  search: string;
  /** Set when the path cannot be read one way only: the request is refused with it. */
  pathError?: string;
}

export function classifyRequest(rawUrl: string, headers: IncomingHttpHeaders): ClassifiedRequest {
  const q = rawUrl.indexOf('?');
  const raw = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const search = q < 0 ? '' : rawUrl.slice(q);
  const norm = normalizePath(raw);
  if (!norm.ok) {
    const family = familyOfHeaders(headers);
    return {
      cls: { family, endpoint: 'other', upstreamPath: raw },
      pathname: raw,
      search,
      pathError: `Shimmy cannot route ${JSON.stringify(raw.slice(0, 200))}: ${norm.reason}.`,
    };
  }
  const exact = classifyPath(norm.path, headers);
  if (exact.endpoint !== 'other') return { cls: exact, pathname: norm.path, search };
  // Providers' routers may ignore case: a known endpoint in any case is that endpoint, and goes
  // upstream in its canonical form.
  const lower = norm.path.toLowerCase();
  const folded = classifyPath(lower, headers);
  if (folded.endpoint !== 'other') return { cls: folded, pathname: lower, search };
  return { cls: exact, pathname: norm.path, search };
}
