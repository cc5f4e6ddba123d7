// Picks the limiter's engine: in memory for one instance (the data-dir lock keeps it the only
// one), Redis when several replicas share budgets and rate limits (`serve --redis`).
import { createLimiter } from './limiter.js';
import type { Limiter, LimiterDeps } from './types.js';

export async function openLimiter(
  deps: LimiterDeps & { redisUrl?: string | undefined; report: (message: string) => void },
): Promise<Limiter> {
  if (!deps.redisUrl) return createLimiter(deps);
  // Loaded only when used: a laptop instance never pays for the Redis client at start-up.
  const { openRedisLimiter } = await import('./redis/open-redis.js');
  return openRedisLimiter(deps.redisUrl, deps);
}
