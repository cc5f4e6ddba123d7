// The RPM/TPM window of both engines, side by side through one random walk: the same admits,
// settles (before and after an entry left the minute, below and above its estimate) and releases,
// on one clock. Memory and a real Redis must give the same answers: admitted or not, the metric
// and wait of a refusal, and every x-ratelimit-* header. Before tpm15 they did not: Redis took an
// expired entry's actual count until its next admit pruned it, and named a request holding 0
// tokens as the tokens' reset.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/config.js';
import { createLimiter, type Admission, type Reservation } from '../../../main/core/limits/index.js';
import { createRedisLimiter } from '../../../main/core/limits/redis/redis-limiter.js';
import { WINDOW_MS } from '../../../main/core/limits/rate-window.js';
import { redisMissing, startRedis, type TestRedis } from '../../support/redis.js';
import { MapSpend, makeTool } from './fixtures.js';
import { random } from './list-window.js';

let redis: TestRedis | undefined;
let conn: Redis | undefined;
beforeAll(async () => {
  if (redisMissing) return;
  redis = await startRedis();
  conn = new Redis(redis.url, { enableOfflineQueue: true, maxRetriesPerRequest: 1 });
}, 30_000);
afterAll(async () => {
  conn?.disconnect();
  await redis?.stop();
});

/** Both engines on one clock (`clock.ms`), each with its own spend; Redis under a fresh `prefix`. */
function engines(clock: { ms: number }, prefix: string) {
  const deps = {
    spend: new MapSpend(),
    settings: () => ({ ...DEFAULT_SETTINGS, timeZone: 'UTC' }),
    emit: () => undefined,
    now: () => new Date(clock.ms),
  };
  return {
    memory: createLimiter(deps),
    shared: createRedisLimiter({
      ...deps,
      redis: conn!,
      prefix: `${prefix}${randomBytes(4).toString('hex')}:`,
      where: redis!.url,
    }),
  };
}

/** What a caller sees of an admission. */
const seen = (a: Admission) =>
  a.ok
    ? { ok: true, headers: a.reservation.headers }
    : a.refusal.kind === 'rate'
      ? {
          ok: false,
          metric: a.refusal.metric,
          retryAfterMs: a.refusal.retryAfterMs,
          headers: a.refusal.headers,
        }
      : { ok: false, kind: a.refusal.kind };

describe.skipIf(redisMissing !== undefined)('RPM/TPM: memory and Redis agree', () => {
  it('through 600 admits, settles and releases over twenty minutes', async () => {
    const clock = { ms: Date.parse('2026-11-29T10:00:00.000Z') };
    const { memory, shared } = engines(clock, 'agree');
    const tool = makeTool('walker', { rpm: 12, tpm: 20_000 });
    const rnd = random(15);
    const open: Array<[Reservation, Reservation, number]> = [];
    let admitted = 0;
    let refusedForTokens = 0;
    for (let step = 0; step < 600; step++) {
      const r = rnd();
      // Mostly seconds apart; now and then a pause of up to a minute and a half, or none at all.
      clock.ms += r < 0.05 ? Math.floor(rnd() * 1.5 * WINDOW_MS) : r < 0.2 ? 0 : Math.floor(rnd() * 4_000);
      if (rnd() < 0.6 || open.length === 0) {
        const estimate = Math.floor(rnd() * 6_000);
        const req = { model: 'gpt-4o-mini', estimatedTokens: estimate, worstCaseUsd: null };
        const a = memory.admit(tool, req);
        const b = await shared.admit(tool, req);
        expect(seen(b), `step ${step}`).toEqual(seen(a));
        if (a.ok && b.ok) {
          open.push([a.reservation, b.reservation, estimate]);
          admitted++;
        } else if (!a.ok && a.refusal.kind === 'rate' && a.refusal.metric === 'tokens') refusedForTokens++;
      } else {
        const [a, b, estimate] = open.splice(Math.floor(rnd() * open.length), 1)[0]!;
        if (rnd() < 0.15) {
          a.release();
          b.release();
        } else {
          // Below its estimate, or up to three times it.
          const tokens = Math.floor(rnd() * 3 * estimate);
          a.settle({ costUsd: null, tokens });
          b.settle({ costUsd: null, tokens });
        }
        await conn!.ping(); // the settle has landed
      }
    }
    // The walk did admit, and did refuse for tokens.
    expect(admitted).toBeGreaterThan(100);
    expect(refusedForTokens).toBeGreaterThan(50);
  });

  it('around the 64 oldest requests that reset-tokens looks through, all holding no tokens', async () => {
    // Past 64 such requests both name the oldest request; with 64 or fewer and none holding
    // tokens, nothing. Redis named the oldest request at exactly 64 (the memory engine: nothing).
    for (const zeros of [62, 63, 64, 65, 70]) {
      const clock = { ms: Date.parse('2026-11-29T10:00:00.000Z') };
      const { memory, shared } = engines(clock, 'edge');
      const tool = makeTool('edge', { tpm: 10_000 });
      const req = (estimatedTokens: number) => ({
        model: 'gpt-4o-mini',
        estimatedTokens,
        worstCaseUsd: null,
      });
      for (let i = 0; i < zeros; i++) {
        for (const a of [memory.admit(tool, req(5)), await shared.admit(tool, req(5))])
          if (a.ok) a.reservation.settle({ costUsd: null, tokens: 0 });
        clock.ms += 10;
      }
      await conn!.ping();
      // One more holding none (one more request), then one holding 7 tokens. Apart in time:
      // Redis orders entries of the same millisecond by their ids.
      for (const tokens of [0, 7]) {
        expect(seen(await shared.admit(tool, req(tokens))), `${zeros} + ${tokens}`).toEqual(
          seen(memory.admit(tool, req(tokens))),
        );
        clock.ms += 10;
      }
    }
  });
});
