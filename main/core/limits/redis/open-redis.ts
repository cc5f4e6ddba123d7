// Connects the Redis engine. Commands never wait in a queue while Redis is away: they fail at
// once (or after COMMAND_TIMEOUT_MS), so a request is refused with 503 instead of hanging, and
// ioredis keeps reconnecting in the background.
import { Redis } from 'ioredis';
import type { Limiter, LimiterDeps } from '../types.js';
import { redactRedisUrl } from './redact-url.js';
import { createRedisLimiter } from './redis-limiter.js';

const COMMAND_TIMEOUT_MS = 2_000;
const READY_WAIT_MS = 5_000;

export async function openRedisLimiter(
  url: string,
  deps: LimiterDeps & { report: (message: string) => void },
): Promise<Limiter> {
  const where = redactRedisUrl(url);
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (times) => Math.min(times * 250, 2_000),
  });
  // One line per outage, not one per reconnect attempt.
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    deps.report(
      `Redis at ${where} is unreachable (${err.message}): requests are refused with 503 until it answers`,
    );
  });
  redis.on('ready', () => {
    if (down) deps.report(`Redis at ${where} answers again`);
    down = false;
  });
  // Started even when Redis is not up yet (a compose stack starts in any order): until it
  // answers, every request is refused, never let through unchecked.
  const ready = redis.connect().then(
    () => true,
    () => false,
  );
  const timer = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), READY_WAIT_MS).unref());
  if (!(await Promise.race([ready, timer])) && !down)
    deps.report(
      `Redis at ${where} did not answer within ${READY_WAIT_MS / 1000} s: requests are refused with 503 until it does`,
    );
  return createRedisLimiter({ ...deps, redis, where });
}
