// A harness on each limits engine — in memory, and on a real Redis where redis-server is installed
// — for the integration tests that must hold the same on both (the TPM window's engines).
import { afterAll, beforeAll } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { redisMissing, startRedis, type TestRedis } from './redis.js';

/** For `describe.each`: the engines by name, and whether each is the shared one (Redis). */
export const ENGINES = [
  ['memory', false],
  ['redis', true],
] as const;

/** In a describe block: a harness on the engine `shared` names, at the clock `now`, with `openai`
 *  pointed at `openaiUrl()`; started before the block's tests (not at all on Redis where it is
 *  not installed: such tests skip on `redisMissing`) and closed after them. `started` is handed
 *  the harness once it is up. */
export function engineHarness(
  shared: boolean,
  x: { now: () => Date; openaiUrl: () => string },
  started: (h: Harness) => void,
): void {
  let h: Harness | undefined;
  let redis: TestRedis | undefined;
  beforeAll(async () => {
    if (shared && redisMissing) return;
    if (shared) redis = await startRedis();
    h = await startHarness({ core: { now: x.now, ...(redis ? { redis: redis.url } : {}) } });
    await h.point('openai', x.openaiUrl());
    started(h);
  });
  afterAll(async () => {
    await h?.close();
    await redis?.stop();
  });
}
