// Which upstream response headers a cache hit may replay: content type and provider ids, never
// per-connection or per-moment headers (a stale rate-limit header would mislead the client's backoff).
import { HOP_BY_HOP } from '../upstream/headers.js';

const DROP = new Set([
  ...HOP_BY_HOP,
  // the replayed body is the decoded bytes; the server sets its own framing
  'content-length',
  'content-encoding',
  'set-cookie',
  'set-cookie2',
  'date',
  'age',
  'retry-after',
  'retry-after-ms',
  'x-should-retry',
]);

const DROP_PREFIXES = [
  'x-ratelimit-',
  'anthropic-ratelimit-',
  'x-shimmy-',
  'alt-svc',
  'cf-',
  'server-timing',
];

/** The replayable subset of `headers`, names lowercased. Headers listed in `Connection` go too. */
export function replayableHeaders(headers: Record<string, string>): Record<string, string> {
  const lower = Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v] as const);
  const named = new Set(
    lower
      .filter(([k]) => k === 'connection')
      .flatMap(([, v]) => v.split(','))
      .map((t) => t.trim().toLowerCase()),
  );
  const out: Record<string, string> = {};
  for (const [k, v] of lower) {
    if (DROP.has(k) || named.has(k) || DROP_PREFIXES.some((p) => k.startsWith(p))) continue;
    out[k] = v;
  }
  return out;
}
