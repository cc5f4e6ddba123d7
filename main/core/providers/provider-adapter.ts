// A provider kind is a small config object: how to build the upstream URL and put the key on.
// Adding a kind adds a file here and touches nothing else.
import type { ApiFamily } from '../../../shared/usage.js';
import { geminiAdapter } from './gemini-adapter.js';

export interface ProviderAdapter {
  family: ApiFamily;
  /** Upstream URL for a canonical client path (`/v1/…`, Gemini `/v1beta/…`) and query string. */
  upstreamUrl(baseUrl: string, clientPath: string, search: string): string;
  /** Headers that carry the real key (the client's own auth headers are already stripped). */
  authHeaders(key: string): Record<string, string>;
  /** Headers the provider requires that a client may omit. */
  defaultHeaders: Record<string, string>;
}

const trimSlash = (s: string) => s.replace(/\/+$/, '');

export const openaiAdapter: ProviderAdapter = {
  family: 'openai',
  // OpenAI-compatible base URLs already end in their version segment (…/v1, …/openai/v1, …/api/v1).
  upstreamUrl: (base, path, search) => trimSlash(base) + path.replace(/^\/v1/, '') + search,
  authHeaders: (key) => ({ authorization: `Bearer ${key}` }),
  defaultHeaders: {},
};

export const anthropicAdapter: ProviderAdapter = {
  family: 'anthropic',
  upstreamUrl: (base, path, search) => trimSlash(base) + path + search,
  authHeaders: (key) => ({ 'x-api-key': key }),
  defaultHeaders: { 'anthropic-version': '2023-06-01' },
};

export const adapters: Record<ApiFamily, ProviderAdapter> = {
  openai: openaiAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
};
