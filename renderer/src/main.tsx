// Entry point: wires the real fetch, EventSource and clipboard into the app. The page is served by
// the core itself, so the API is same-origin and auth rides on the session cookie.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/client.js';
import { primeClient } from './api/primed-client.js';
import { browserEventSource } from './live/event-stream.js';
import { browserTabSharing } from './live/shared-stream.js';
import { App, FIRST_PAINT_CALLS } from './app.js';
import './styles.css';

// The first paint's answers are asked for now (taking up index.html's preloads of them), not once
// React has rendered the shell.
const client = primeClient(
  createApiClient({ fetch: (url, init) => window.fetch(url, init), baseUrl: window.location.origin }),
  FIRST_PAINT_CALLS,
);
const copy = (text: string) => navigator.clipboard.writeText(text);

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App client={client} connect={browserEventSource} sharing={browserTabSharing()} copy={copy} />
  </StrictMode>,
);
