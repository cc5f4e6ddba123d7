// Event-driven refetches are coalesced: a burst of events makes one, events within the next few
// seconds one more at most, and a hidden tab makes none until it is shown again.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { renderApp } from '../test-support/render-app.js';
import { REFRESH_MIN_INTERVAL_MS } from './use-route.js';

afterEach(() => {
  cleanup();
  setVisibility('visible');
});

function setVisibility(state: DocumentVisibilityState) {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function toolsPage() {
  const app = renderApp({ page: 'tools' });
  await screen.findByTestId('page-tools');
  const fetches = () => app.server.calls.filter((c) => c.name === 'listTools').length;
  await waitFor(() => expect(fetches()).toBe(1));
  const configChanged = () => app.events.current().emit({ type: 'config', what: 'tools' });
  return { fetches, configChanged };
}

describe('useRoute refetches', () => {
  it('once for a burst, then at most once per interval', async () => {
    const { fetches, configChanged } = await toolsPage();
    for (let i = 0; i < 5; i++) configChanged();
    await waitFor(() => expect(fetches()).toBe(2), { timeout: 3_000 });
    const refetchedAt = Date.now();
    configChanged();
    configChanged();
    await sleep(800); // the old 300 ms debounce would have refetched by now
    expect(fetches()).toBe(2);
    await waitFor(() => expect(fetches()).toBe(3), { timeout: REFRESH_MIN_INTERVAL_MS + 3_000 });
    expect(Date.now() - refetchedAt).toBeGreaterThanOrEqual(REFRESH_MIN_INTERVAL_MS - 50);
  }, 15_000);

  it('none while the tab is hidden, one when it is shown again', async () => {
    const { fetches, configChanged } = await toolsPage();
    setVisibility('hidden');
    configChanged();
    configChanged();
    await sleep(800);
    expect(fetches()).toBe(1);
    setVisibility('visible');
    await waitFor(() => expect(fetches()).toBe(2), { timeout: 3_000 });
    await sleep(500);
    expect(fetches()).toBe(2);
  }, 15_000);
});
