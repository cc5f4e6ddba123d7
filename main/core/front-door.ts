// Which of the server's two doors a request takes. The API families live under /v1 and /v1beta;
// a client whose base URL lacks the version (opencode posts to `{base}/messages`) or names a path
// Shimmy doesn't serve still speaks an API, so it gets the proxy's JSON answer in its own format,
// never the dashboard's HTML. The dashboard is what a browser GETs without an API credential.
import type { IncomingMessage } from 'node:http';

export function isProxyRequest(req: IncomingMessage): boolean {
  const url = req.url ?? '/';
  if (url.startsWith('/v1/') || url.startsWith('/v1beta/') || url === '/v1' || url.startsWith('/v1?'))
    return true;
  if (url.startsWith('/api/') || url === '/api' || url.startsWith('/login')) return false;
  if (req.method === 'GET' || req.method === 'HEAD') {
    const h = req.headers;
    return (
      h['x-api-key'] !== undefined ||
      h['x-goog-api-key'] !== undefined ||
      h['anthropic-version'] !== undefined ||
      (typeof h.authorization === 'string' && /^Bearer\s+shm_/i.test(h.authorization))
    );
  }
  return true;
}
