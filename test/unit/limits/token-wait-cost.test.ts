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
    // What a refusal costs Redis, judged against a control in the same Redis: a tool with only the
    // 256 entries a bounded walk reads in front of its 9,000. Counted, the script's commands
    // (commandstats counts those a script calls): the walk reads each entry's tokens with an HGET,
    // so behind 10,000 it must make as many as behind 256 (without the bound: 10,065 against 321).
    // Timed, Redis's own µs per refusal against the control's, alternated so load weighs on both:
    // an absolute line (3,000 µs) was missed under load by the bounded script (638–6,658 µs at load
    // 12; the control 1,770–1,987); without the bound the ratio was 64.
    const control = makeTool('control', { tpm: 10_000 });
    for (let i = 0; i < 256; i++) {
      const a = await l.admit(control, req(1));
      if (a.ok) a.reservation.settle({ costUsd: null, tokens: 0 });
      clock.ms += 2;
    }
    expect((await l.admit(control, req(9_000))).ok).toBe(true);
    const REFUSALS = 20;
    const refusals = async (t: typeof tool) => {
      await conn.config('RESETSTAT');
      for (let i = 0; i < REFUSALS; i++) expect((await l.admit(t, req(2_000))).ok).toBe(false);
      const stats = await conn.info('commandstats');
      const stat = (name: string, field: string) =>
        Number(new RegExp(`^cmdstat_${name}:.*\\b${field}=([\\d.]+)`, 'm').exec(stats)?.[1] ?? 0);
      expect(stat('evalsha', 'calls')).toBe(REFUSALS);
      return { hgets: stat('hget', 'calls') / REFUSALS, usPerCall: stat('evalsha', 'usec_per_call') };
    };
    const behindControl: number[] = [];
    const behindZeros: number[] = [];
    for (let round = 0; round < 3; round++) {
      const c = await refusals(control);
      const z = await refusals(tool);
      expect(z.hgets, 'HGETs per refusal behind 10,000 vs behind 256').toBe(c.hgets);
      behindControl.push(c.usPerCall);
      behindZeros.push(z.usPerCall);
    }
    const ratio = Math.min(...behindZeros) / Math.min(...behindControl);
    expect(
      ratio,
      `µs per refusal ${behindZeros.join('/')} vs control ${behindControl.join('/')}`,
    ).toBeLessThan(3);
  }, 120_000);
});
