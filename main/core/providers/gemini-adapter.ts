// Google's native Gemini API (generativelanguage.googleapis.com): the key goes in
// `x-goog-api-key`; the client's own `?key=` (its Shimmy token) never goes upstream.
import type { ProviderAdapter } from './provider-adapter.js';

export const geminiAdapter: ProviderAdapter = {
  family: 'gemini',
  upstreamUrl: (base, path, search) => base.replace(/\/+$/, '') + path + withoutKeyParam(search),
  authHeaders: (key) => ({ 'x-goog-api-key': key }),
  defaultHeaders: {},
};

/** `?alt=sse&key=shm_…` → `?alt=sse`. Google reads `$key` (also written `%24key`) as `key`: a
 *  system parameter may carry a `$` (docs.cloud.google.com/apis/docs/system-parameters). */
export function withoutKeyParam(search: string): string {
  if (!search.includes('key=')) return search;
  const params = new URLSearchParams(search);
  params.delete('key');
  params.delete('$key');
  const rest = params.toString();
  return rest ? `?${rest}` : '';
}
