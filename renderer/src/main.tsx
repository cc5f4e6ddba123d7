// Entry point: wires the real fetch, EventSource and clipboard into the app. The page is served by
// the core itself, so the API is same-origin and auth rides on the session cookie.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/client.js';
import { browserEventSource } from './live/event-stream.js';
import { browserTabSharing } from './live/shared-stream.js';
import { App } from './app.js';
import './styles.css';

const client = createApiClient({
  fetch: (url, init) => window.fetch(url, init),
  baseUrl: window.location.origin,
});
const copy = (text: string) => navigator.clipboard.writeText(text);

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App client={client} connect={browserEventSource} sharing={browserTabSharing()} copy={copy} />
  </StrictMode>,
);
