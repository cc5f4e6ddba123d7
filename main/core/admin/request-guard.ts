// Admin routes answer only to this machine's own pages and CLI: a Host that is not a loopback name
// (DNS rebinding) or a foreign Origin (a web page in the user's browser) is refused.
import type { IncomingHttpHeaders } from 'node:http';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostname(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  const i = hostHeader.lastIndexOf(':');
  return (i < 0 ? hostHeader : hostHeader.slice(0, i)).toLowerCase();
}

/** Returns why a request must be refused, or undefined when it may proceed. */
export function guardAdminRequest(
  headers: IncomingHttpHeaders,
  extraHosts: readonly string[] = [],
): string | undefined {
  const host = headers.host;
  if (!host) return 'missing Host header';
  const name = hostname(host);
  if (!LOOPBACK_HOSTS.has(name) && !name.endsWith('.localhost') && !extraHosts.includes(name)) {
    return `Host "${host}" is not this machine (loopback only)`;
  }
  const origin = headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let o: URL;
    try {
      o = new URL(origin);
    } catch {
      return `Origin "${origin}" is malformed`;
    }
    if (o.host !== host) return `Origin "${origin}" is not this dashboard`;
  } else if (origin === 'null') {
    return 'Origin "null" is not this dashboard';
  }
  return undefined;
}
