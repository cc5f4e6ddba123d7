// The options every Shimmy window is created with, and the Content Security Policy the shell
// adds to every response from the core. Plain data so tests can check each security default.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** In-memory partition (no `persist:`): the admin session cookie dies with the process. */
export const SESSION_PARTITION = 'shimmy';

export const TRAY_WINDOW_SIZE = { width: 400, height: 600 } as const;
export const FULL_WINDOW_SIZE = { width: 1200, height: 800 } as const;

export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' data:"],
  ['font-src', "'self'"],
  // The dashboard talks only to its own origin: /api/* and the /api/events SSE stream.
  ['connect-src', "'self'"],
  ['manifest-src', "'self'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
  ['object-src', "'none'"],
];

export function contentSecurityPolicy(): string {
  return CSP_DIRECTIVES.map(([name, value]) => `${name} ${value}`).join('; ');
}

export function secureWebPreferences(): WebPreferences {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    partition: SESSION_PARTITION,
  };
}

/** The small frameless window that drops down from the tray icon. */
export function trayWindowOptions(): BrowserWindowConstructorOptions {
  return {
    ...TRAY_WINDOW_SIZE,
    show: false,
    frame: false,
    resizable: false,
    movable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    skipTaskbar: true,
    alwaysOnTop: true,
    title: 'Shimmy',
    webPreferences: secureWebPreferences(),
  };
}

/** The ordinary window for when 400×600 is too small (ledger, charts). */
export function fullWindowOptions(): BrowserWindowConstructorOptions {
  return {
    ...FULL_WINDOW_SIZE,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Shimmy',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(),
  };
}

/**
 * Response headers with our CSP set on responses from the core (replacing any the core sent,
 * whatever its case), so the policy holds even if the core's own header is missing or looser.
 */
export function withCsp(
  headers: Record<string, string[]> | undefined,
  url: string,
  coreOrigin: string,
): Record<string, string[]> {
  const out: Record<string, string[]> = { ...(headers ?? {}) };
  if (!sameOrigin(url, coreOrigin)) return out;
  for (const key of Object.keys(out)) if (key.toLowerCase() === 'content-security-policy') delete out[key];
  out['Content-Security-Policy'] = [contentSecurityPolicy()];
  return out;
}

export function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}
