// Applies the window rules from window-options.ts / window-guards.ts to Electron: the session
// (CSP header, permissions, admin cookie) and every web contents (navigation, popups, webviews).
import { session, shell } from 'electron';
import type { Session, WebContents } from 'electron';
import { SESSION_PARTITION, withCsp } from './window-options.js';
import { decideNavigation, decidePermission, decideWindowOpen } from './window-guards.js';
import { adminSessionCookie } from './session-cookie.js';

function openExternal(url: string | null): void {
  if (url) void shell.openExternal(url);
}

export async function prepareSession(coreUrl: string, createAdminSession: () => string): Promise<Session> {
  const origin = new URL(coreUrl).origin;
  const ses = session.fromPartition(SESSION_PARTITION);
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    callback(decidePermission(permission, details.requestingUrl, origin));
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) =>
    decidePermission(permission, requestingOrigin, origin),
  );
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders, details.url, origin) });
  });
  // Set before any window loads, so the very first request to the dashboard is authenticated.
  await ses.cookies.set(adminSessionCookie(coreUrl, createAdminSession()));
  return ses;
}

export function guardWebContents(contents: WebContents, coreUrl: string): void {
  const origin = new URL(coreUrl).origin;
  const onNavigate = (event: { preventDefault(): void }, url: string) => {
    const decision = decideNavigation(url, origin);
    if (decision.allow) return;
    event.preventDefault();
    openExternal(decision.openExternal);
  };
  contents.on('will-navigate', (event) => onNavigate(event, event.url));
  contents.on('will-redirect', (event) => onNavigate(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    openExternal(decision.openExternal);
    return { action: decision.action };
  });
}
