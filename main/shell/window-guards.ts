// Decisions for what a Shimmy window may do: navigate, open windows, use permissions.
// Pure functions of a URL/permission so each rule is a unit test; tray-window.ts applies them.
import { sameOrigin } from './window-options.js';

export type NavigationDecision = { allow: true } | { allow: false; openExternal: string | null };

/** Only https: links ever leave the app, and only through the OS browser. */
export function externalUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:') return null;
    // Credentials in a link are a phishing pattern; never hand them to the browser.
    if (parsed.username || parsed.password) return null;
    return parsed.href;
  } catch {
    return null;
  }
}

/**
 * `will-navigate` / `will-redirect`: the dashboard may reload or move within the core's own
 * origin; anything else is blocked, and https links go to the system browser instead.
 */
export function decideNavigation(url: string, coreOrigin: string): NavigationDecision {
  if (sameOrigin(url, coreOrigin)) return { allow: true };
  return { allow: false, openExternal: externalUrl(url) };
}

/** `setWindowOpenHandler`: never a new Electron window; https links open in the system browser. */
export function decideWindowOpen(url: string): { action: 'deny'; openExternal: string | null } {
  return { action: 'deny', openExternal: externalUrl(url) };
}

/**
 * Permission requests and checks. Everything is denied (camera, notifications, geolocation,
 * clipboard-read, …) except writing sanitized text to the clipboard from the dashboard itself:
 * its "copy token / copy URL" buttons need it, and it cannot read anything back.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function decidePermission(permission: string, requestingUrl: string, coreOrigin: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && sameOrigin(requestingUrl, coreOrigin);
}
