// Renders the whole dashboard against the fake server and a hand-driven event source.
import { render } from '@testing-library/react';
import { App } from '../app.js';
import { createApiClient } from '../api/client.js';
import { createFakeServer, type FakeState } from './fake-server.js';
import { fakeEventSources } from './fake-event-source.js';

export function renderApp(
  opts: { page?: string; state?: Partial<FakeState>; probe?: (id: string) => void } = {},
) {
  window.location.hash = opts.page ? `#/${opts.page}` : '';
  const server = createFakeServer(opts.state);
  const events = fakeEventSources();
  const copied: string[] = [];
  const client = createApiClient({ fetch: server.fetch, baseUrl: 'http://127.0.0.1:4141' });
  const copy = async (text: string) => {
    copied.push(text);
  };
  const view = render(
    <App client={client} connect={events.connect} copy={copy} locale="en-US" probe={opts.probe} />,
  );
  return { ...view, server, events, copied };
}
