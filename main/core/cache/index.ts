// The response cache (issue 7): exact-match keys, the replay policy, and the persisted LRU store.
export { cacheKey, canonicalJson } from './cache-key.js';
export type { CachedResponse } from './cached-response.js';
export { isReplayable, optsOut, type ReplayPolicy, type RequestHeaders } from './replay-policy.js';
export { replayableHeaders } from './replay-headers.js';
export {
  openResponseCache,
  type CacheStats,
  type ResponseCache,
  type ResponseCacheOptions,
} from './lru-store.js';
export { parseDuration } from './parse-duration.js';
