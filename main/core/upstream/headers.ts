// Proxy hygiene: hop-by-hop headers never cross the proxy, and neither does the client's own
// credential (a tool token is worthless upstream and must not leak there).
import type { IncomingHttpHeaders } from 'node:http';

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

/** Upstream response headers to pass to the client, as the list `writeHead` takes (name, value, …),
 *  from the answer's `rawHeaders`. `dropLength` when the body is rewritten. `overrides` are Shimmy's
 *  own headers, later ones winning: a name in one of them replaces the upstream's. */
export function clientResponseHeaders(
  rawHeaders: readonly string[],
  dropLength: boolean,
  overrides: readonly Readonly<Record<string, string>>[],
): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (HOP_BY_HOP.has(name) || name === 'set-cookie' || (dropLength && name === 'content-length')) continue;
    if (overriddenAfter(overrides, -1, name)) continue;
    out.push(name, rawHeaders[i + 1]!);
  }
  for (let j = 0; j < overrides.length; j++) {
    const o = overrides[j]!;
    for (const name in o) if (!overriddenAfter(overrides, j, name)) out.push(name, o[name]!);
  }
  return out;
}

function overriddenAfter(overrides: readonly Readonly<Record<string, string>>[], j: number, name: string) {
  for (let k = j + 1; k < overrides.length; k++) if (Object.hasOwn(overrides[k]!, name)) return true;
  return false;
}
