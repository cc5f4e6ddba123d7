// The admin session cookie the main process sets in the window's session before loading the
// dashboard: the credential never appears in a URL, a query string or a file the page can read.
import type { CookiesSetDetails } from 'electron';
import { SESSION_COOKIE } from '../core/core.js';

export function adminSessionCookie(coreUrl: string, sessionId: string): CookiesSetDetails {
  return {
    url: new URL('/', coreUrl).href,
    name: SESSION_COOKIE,
    value: sessionId,
    path: '/',
    // Host-only (no domain), invisible to page scripts, never sent cross-site. No expiry:
    // a session cookie in an in-memory partition, gone when the app quits.
    httpOnly: true,
    sameSite: 'strict',
    // The core listens on plain http://127.0.0.1; a Secure cookie would never be sent there.
    secure: false,
  };
}
