// Proxy hygiene: hop-by-hop headers never cross the proxy, and neither does the client's own
// credential (a tool token is worthless upstream and must not leak there).
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, never the message. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

const NOT_UPSTREAM = new Set([
  'host',
  'content-length',
  'authorization',
  'x-api-key',
  'cookie',
  'accept-encoding',
  'origin',
  'referer',
  // Node answered `100 Continue` to the client already and the body is read whole; undici refuses
  // a request carrying `expect` (it was a 502 "provider unreachable").
  'expect',
]);

/** Client request headers to forward upstream (the adapter adds the real key), written into `out`
 *  (a provider's default headers, which they override) or a new object. */
export function upstreamRequestHeaders(
  headers: IncomingHttpHeaders,
  out: Record<string, string> = {},
): Record<string, string> {
  // for…in, not Object.entries: no array of pairs per header on every request (both run per request).
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || NOT_UPSTREAM.has(name) || name.startsWith('x-shimmy-'))
      continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  // Usage is read from the body as it streams by: ask for it uncompressed.
  out['accept-encoding'] = 'identity';
  return out;
}

/** Upstream response headers to pass to the client. `dropLength` when the body is rewritten. */
export function clientResponseHeaders(
  headers: Record<string, string | string[] | undefined>,
  dropLength: boolean,
): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || name === 'set-cookie') continue;
    if (dropLength && name === 'content-length') continue;
    out[name] = value;
  }
  return out;
}
