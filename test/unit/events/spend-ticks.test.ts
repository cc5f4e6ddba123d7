// The spend ticker builds the overview only for someone: a headless `shimmy serve` with no
// dashboard or tray open spent ~1% of its CPU building one 4 times a second for no listener.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ShimmyEvent } from '../../../shared/events.js';
import type { Overview } from '../../../shared/overview.js';
import { createEventBus } from '../../../main/core/events/event-bus.js';
import { startSpendTicks } from '../../../main/core/events/spend-ticks.js';

const overview = { todayUsd: 1.5, monthUsd: 2.5, today: '2026-11-28' } as unknown as Overview;

describe('spend ticks', () => {
  it('builds no overview while nobody listens, and one per tick once someone does', async () => {
    const events = createEventBus();
    let built = 0;
    const stop = startSpendTicks({
      events,
      overview: () => (built++, overview),
      daySpend: () => ({ byTool: {}, byModel: {} }),
      tickMs: 5,
    });
    const end = { type: 'request.end' } as unknown as ShimmyEvent;
    events.emit(end);
    await sleep(30);
    expect(built).toBe(0);

    const seen: ShimmyEvent[] = [];
    const unsubscribe = events.subscribe((e) => void seen.push(e));
    events.emit(end);
    events.emit(end);
    await sleep(30);
    expect(built).toBe(1);
    const spend = seen.filter((e) => e.type === 'spend');
    expect(spend).toHaveLength(1);
    expect(spend[0]).toMatchObject({ todayUsd: 1.5, monthUsd: 2.5, todaySpend: { day: '2026-11-28' } });
    unsubscribe();
    stop();
  });
});
