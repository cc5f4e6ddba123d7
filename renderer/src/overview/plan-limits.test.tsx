import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { renderApp } from '../test-support/render-app.js';
import type { PlansView } from '../../../shared/admin-api.js';

beforeAll(() => {
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
});
afterEach(cleanup);

const plans: PlansView = {
  windows: [
    {
      provider: 'anthropic',
      window: '5h',
      usedPercent: 43,
      resetsAt: '2026-11-25T14:00:00.000Z',
      status: 'allowed',
      seenAt: '2026-11-25T10:00:00.000Z',
    },
    {
      provider: 'anthropic',
      window: '7d',
      usedPercent: 12,
      resetsAt: null,
      seenAt: '2026-11-25T10:00:00.000Z',
    },
  ],
  week: [{ provider: 'anthropic', requests: 3, apiEquivalentUsd: 1.25, unpriced: 0, planWeekUsd: 46.01 }],
};

describe('Overview plan limits', () => {
  it('is absent until Shimmy has seen plan traffic', async () => {
    const { server } = renderApp();
    await screen.findByTestId('overview-empty');
    await waitFor(() => expect(server.calls.some((c) => c.name === 'plans')).toBe(true));
    expect(screen.queryByTestId('plan-limits')).toBeNull();
  });

  it('shows a bar per window with its reset time, and the week priced at API rates', async () => {
    renderApp({ state: { plans } });
    const bar = await screen.findByTestId('plan-bar-anthropic-5h');
    expect(bar.textContent).toContain('5-hour window');
    expect(bar.textContent).toContain('43% / 100%');
    expect(bar.dataset.level).toBe('ok');
    expect(screen.getByTestId('plan-reset-anthropic-5h').textContent).toContain('Resets 11/25/2026');
    expect(screen.getByTestId('plan-reset-anthropic-7d').textContent).toBe('Reset time unknown');
    expect(screen.getByTestId('plan-vs-api-anthropic').textContent).toBe(
      'Last 7 days: 3 plan requests would have cost $1.25 at API prices; a week of the plan costs $46.01.',
    );
  });

  it('moves the bars from the pushed plan event without refetching the windows', async () => {
    const { server, events } = renderApp({ state: { plans } });
    await screen.findByTestId('plan-bar-anthropic-5h');
    const before = server.calls.filter((c) => c.name === 'plans').length;
    events.current().emit({
      type: 'plan',
      windows: [{ ...plans.windows[0]!, usedPercent: 91, status: 'allowed_warning' }, plans.windows[1]!],
    });
    await waitFor(() => expect(screen.getByTestId('plan-bar-anthropic-5h').textContent).toContain('91%'));
    expect(screen.getByTestId('plan-bar-anthropic-5h').dataset.level).toBe('warn');
    expect(screen.getByTestId('plan-reset-anthropic-5h').textContent).toContain('allowed warning');
    // The plan event may trigger one debounced reload of the weekly sum, never one per event burst.
    expect(server.calls.filter((c) => c.name === 'plans').length - before).toBeLessThanOrEqual(1);
  });
});
