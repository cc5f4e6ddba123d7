// Start-up's deferred work waits for a quiet proxy (server/idle-watch.ts): never while a request
// is in flight or one started within the quiet period, and never longer than its latest start.
import { describe, expect, it } from 'vitest';
import { createIdleWatch } from '../../../main/core/server/idle-watch.js';

describe('the idle watch', () => {
  it('resolves once nothing is in flight and nothing started for the quiet period', async () => {
    let clock = 0;
    let busy = true;
    const watch = createIdleWatch(
      () => busy,
      () => clock,
    );
    let done = false;
    void watch.whenIdle(100, 1_000_000).then(() => (done = true));
    const turn = () => new Promise((r) => setTimeout(r, 20));
    clock = 500; // long quiet, but a request is in flight
    await turn();
    expect(done).toBe(false);
    busy = false;
    watch.noteRequest(); // one just started and finished
    await turn();
    expect(done).toBe(false);
    clock = 650;
    await expect.poll(() => done, { timeout: 5_000 }).toBe(true);
  });

  it('resolves at its latest start on a proxy that is never quiet', async () => {
    let clock = 0;
    const watch = createIdleWatch(
      () => true,
      () => clock,
    );
    let done = false;
    void watch.whenIdle(100, 1_000).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    clock = 1_000;
    await expect.poll(() => done, { timeout: 5_000 }).toBe(true);
  });
});
