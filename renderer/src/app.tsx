// The dashboard shell: top bar with navigation, one live event stream, and the current page.
import { useEffect, useMemo, useState } from 'react';
import { errorMessage, type ApiClient } from './api/client.js';
import { EVENTS_PATH } from '../../shared/admin-paths.js';
import { ServicesContext, type Services } from './api/services.js';
import { usePage, type Page } from './hash-route.js';
import { useEventStream, type ConnectEvents } from './live/event-stream.js';
import { LivePage } from './live/live-page.js';
import type { TabSharing } from './live/shared-stream.js';
import { createLiveStore } from './live/live-store.js';
import { OverviewPage } from './overview/overview-page.js';
import { PricesPage } from './prices/prices-page.js';
import { ProvidersPage } from './providers/providers-page.js';
import { SettingsPage } from './settings/settings-page.js';
import { ToolsPage } from './tools/tools-page.js';

export interface AppProps {
  client: ApiClient;
  connect: ConnectEvents;
  /** Share one event-stream connection with the other dashboard tabs (the browser's Web Locks and
   *  BroadcastChannel); absent = this window connects on its own. */
  sharing?: TabSharing;
  copy: (text: string) => Promise<void>;
  locale?: string;
  probe?: (id: string) => void;
}

const NAV: Array<{ page: Page; label: string; icon: string }> = [
  { page: 'overview', label: 'Overview', icon: '◔' },
  { page: 'live', label: 'Live', icon: '≋' },
  { page: 'tools', label: 'Tools', icon: '⚒' },
  { page: 'providers', label: 'Providers', icon: '⇄' },
  { page: 'prices', label: 'Prices', icon: '$' },
  { page: 'settings', label: 'Settings', icon: '⚙' },
];

const SEED_LIMIT = 50;

/**
 * What the first paint asks the core for, whichever page opens first (the overview is a roll-up
 * read: cheap). index.html preloads the same URLs while the script loads; main.tsx asks for them
 * before React mounts, which takes those preloads up.
 */
export const FIRST_PAINT_CALLS = [['overview'], ['listRequests', { query: { limit: SEED_LIMIT } }]] as const;

export function App(props: AppProps) {
  const { client, connect, copy, locale, sharing, probe } = props;
  const { subscribe, connection, resyncs } = useEventStream(
    connect,
    client.url(`${EVENTS_PATH}?batch=1`),
    sharing,
  );
  // Kept outside React state: the shell must not re-render for every request event (live-store.ts).
  const [live] = useState(() => createLiveStore());
  const [liveError, setLiveError] = useState<string>();
  const page = usePage();
  probe?.('app');

  useEffect(() => subscribe((event) => live.dispatch({ type: 'event', event })), [subscribe, live]);
  useEffect(() => {
    client.call('listRequests', { query: { limit: SEED_LIMIT } }).then(
      (p) => live.dispatch({ type: 'seed', records: p.records }),
      (e: unknown) => setLiveError(errorMessage(e)),
    );
  }, [client, live]);

  const services = useMemo<Services>(
    () => ({ client, subscribe, connection, resyncs, locale, copy, probe }),
    [client, subscribe, connection, resyncs, locale, copy, probe],
  );

  return (
    <ServicesContext value={services}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Shimmy</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.page}>
                <a
                  href={`#/${n.page}`}
                  aria-current={page === n.page ? 'page' : undefined}
                  aria-label={n.label}
                  title={n.label}
                  data-testid={`nav-${n.page}`}
                >
                  <span className="nav-icon" aria-hidden="true">
                    {n.icon}
                  </span>
                  <span className="nav-label">{n.label}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span
          className={`conn conn-${connection}`}
          title={`Live updates: ${connection}`}
          data-testid="connection"
        />
      </header>
      <main id="main">
        {page === 'overview' && <OverviewPage />}
        {page === 'live' && <LivePage store={live} error={liveError} />}
        {page === 'tools' && <ToolsPage />}
        {page === 'providers' && <ProvidersPage />}
        {page === 'prices' && <PricesPage />}
        {page === 'settings' && <SettingsPage />}
      </main>
    </ServicesContext>
  );
}
