// Test fixtures for the limiter: an in-memory SpendView (a real implementation over a Map),
// a settable clock, tool and settings builders.
import { DEFAULT_SETTINGS, type Settings, type Tool, type ToolLimits } from '../../../shared/config.js';
import type { ShimmyEvent } from '../../../shared/events.js';
import { addUsd } from '../../../shared/money.js';
import { createLimiter, type LimiterDeps, type SpendView } from '../../../main/core/limits/index.js';

export class MapSpend implements SpendView {
  /** `tool \n YYYY-MM-DD` → USD spent. */
  readonly costs = new Map<string, number>();

  add(tool: string, day: string, usd: number): void {
    const key = `${tool}\n${day}`;
    this.costs.set(key, addUsd(this.costs.get(key) ?? 0, usd));
  }

  totals(q: { day?: string; month?: string; tool?: string }): { costUsd: number } {
    let costUsd = 0;
    for (const [key, usd] of this.costs) {
      const [tool = '', day = ''] = key.split('\n');
      if (q.tool !== undefined && q.tool !== tool) continue;
      if (q.day !== undefined && q.day !== day) continue;
      if (q.month !== undefined && !day.startsWith(`${q.month}-`)) continue;
      costUsd = addUsd(costUsd, usd);
    }
    return { costUsd };
  }
}

export function makeTool(name: string, limits: ToolLimits = {}): Tool {
  return { name, createdAt: '2026-01-01T00:00:00.000Z', paused: false, limits, tokens: [] };
}

export interface Harness {
  spend: MapSpend;
  events: ShimmyEvent[];
  settings: Settings;
  clock: { ms: number };
  limiter: ReturnType<typeof createLimiter>;
}

export function harness(
  settings: Partial<Settings> = {},
  start = '2026-11-25T12:00:00.000Z',
  extra: Partial<LimiterDeps> = {},
): Harness {
  const spend = new MapSpend();
  const events: ShimmyEvent[] = [];
  // One object: tests change h.settings / h.clock.ms and the limiter sees it on its next call.
  const h: Omit<Harness, 'limiter'> = {
    spend,
    events,
    settings: { ...DEFAULT_SETTINGS, timeZone: 'UTC', ...settings },
    clock: { ms: Date.parse(start) },
  };
  const limiter = createLimiter({
    spend,
    settings: () => h.settings,
    emit: (e) => events.push(e),
    now: () => new Date(h.clock.ms),
    ...extra,
  });
  return Object.assign(h, { limiter });
}
