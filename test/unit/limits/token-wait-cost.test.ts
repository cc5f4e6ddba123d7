// A TPM refusal says when the request will fit: the engine walks the minute's entries, oldest
// first, until enough tokens have left. Behind requests that hold no tokens (settled at 0:
// refused upstream, released) it walked all of them, on every refusal; in Redis that is a ZRANGE
// of the whole minute and an HGET per entry inside one script, and Redis runs nothing else
// meanwhile: 119 ms of Redis per refused admit behind 60,000 of them, 16 ms behind 10,000 (load
// 3.7), so a tool refused in a loop held up every replica's admits. Now both engines walk the 256
// oldest at most and past them answer when the 256th leaves: too early, never too late; the
// retry is refused again with a later wait (tpm15, 2026-11-29).
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/config.js';
import { createLimiter, type Limiter } from '../../../main/core/limits/index.js';
import { createRedisLimiter } from '../../../main/core/limits/redis/redis-limiter.js';
import { WINDOW_MS } from '../../../main/core/limits/rate-window.js';
import { redisMissing, startRedis, type TestRedis } from '../../support/redis.js';
import { MapSpend, makeTool } from './fixtures.js';

let redis: TestRedis | undefined;
const conns: Redis[] = [];
beforeAll(async () => {
  if (!redisMissing) redis = await startRedis();
}, 30_000);
afterAll(async () => {
  for (const c of conns) c.disconnect();
  await redis?.stop();
});

const ZEROS = 10_000;
const req = (estimatedTokens: number) => ({ model: 'gpt-4o-mini', estimatedTokens, worstCaseUsd: null });

describe.each(redisMissing ? (['memory'] as const) : (['memory', 'redis'] as const))('%s', (kind) => {
  it(`a refusal behind ${ZEROS} requests holding no tokens walks a bounded part of the minute`, async () => {
    const clock = { ms: Date.parse('2026-11-29T10:00:00.000Z') };
    const deps = {
      spend: new MapSpend(),
      settings: () => ({ ...DEFAULT_SETTINGS, timeZone: 'UTC' }),
      emit: () => undefined,
      now: () => new Date(clock.ms),
    };
    const conn = kind === 'redis' ? new Redis(redis!.url) : undefined;
    if (conn) conns.push(conn);
    const l: Limiter = conn
      ? createRedisLimiter({
          ...deps,
          redis: conn,
          prefix: `w${randomBytes(4).toString('hex')}:`,
          where: redis!.url,
        })
      : createLimiter(deps);
    const tool = makeTool('walked', { tpm: 10_000 });
    const start = clock.ms;
    for (let i = 0; i < ZEROS; i++) {
      const a = await l.admit(tool, req(1));
      if (a.ok) a.reservation.settle({ costUsd: null, tokens: 0 });
      clock.ms += 2; // 10,000 of them over 20 s
    }
    await conn?.ping();
    expect((await l.admit(tool, req(9_000))).ok).toBe(true);
    const refused = await l.admit(tool, req(2_000));
    if (refused.ok) throw new Error('expected a refusal');
    // Exactly: when the 9,000 leave (60 s after they came). Bounded: when the 256th of the
    // requests in front of them leaves. Before: 60,000.
    expect(refused.refusal.retryAfterMs).toBe(start + 255 * 2 + WINDOW_MS - clock.ms);
    if (!conn) return;
    // What Redis spent on it (commandstats: its own time in the script). Before: ~16 ms.
    await conn.config('RESETSTAT');
    for (let i = 0; i < 20; i++) expect((await l.admit(tool, req(2_000))).ok).toBe(false);
    const line = (await conn.info('commandstats')).split('\n').find((x) => x.startsWith('cmdstat_evalsha:'));
    const perCall = Number(/usec_per_call=([\d.]+)/.exec(line ?? '')?.[1]);
    expect(perCall, 'µs of Redis per refused admit').toBeLessThan(3_000);
  }, 120_000);
});
