// Rate-limit response headers as OpenAI sends them, so SDKs back off on their own.

/** Go's Duration format at ms resolution, as OpenAI's reset headers use: `12ms`, `6s`, `8.64s`, `1m30s`, `1h0m0s`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = String((total % 60_000) / 1000);
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

export interface RateSnapshot {
  rpm?: number;
  tpm?: number;
  requests: number;
  tokens: number;
  requestsResetMs: number;
  tokensResetMs: number;
}

/** x-ratelimit-* for the limits the tool has; remaining never goes below 0. */
export function rateLimitHeaders(s: RateSnapshot): Record<string, string> {
  const headers: Record<string, string> = {};
  if (s.rpm !== undefined) {
    headers['x-ratelimit-limit-requests'] = String(s.rpm);
    headers['x-ratelimit-remaining-requests'] = String(Math.max(0, s.rpm - s.requests));
    headers['x-ratelimit-reset-requests'] = formatDuration(s.requestsResetMs);
  }
  if (s.tpm !== undefined) {
    headers['x-ratelimit-limit-tokens'] = String(s.tpm);
    headers['x-ratelimit-remaining-tokens'] = String(Math.max(0, s.tpm - s.tokens));
    headers['x-ratelimit-reset-tokens'] = formatDuration(s.tokensResetMs);
  }
  return headers;
}

/** `retry-after` in whole seconds (rounded up, at least 1) and the SDKs' `retry-after-ms`. */
export function retryAfterHeaders(retryAfterMs: number): Record<string, string> {
  const ms = Math.max(0, Math.ceil(retryAfterMs));
  return { 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))), 'retry-after-ms': String(ms) };
}
