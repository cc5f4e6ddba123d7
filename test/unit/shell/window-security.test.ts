import { describe, expect, it } from 'vitest';
import {
  FULL_WINDOW_SIZE,
  SESSION_PARTITION,
  TRAY_WINDOW_SIZE,
  contentSecurityPolicy,
  fullWindowOptions,
  secureWebPreferences,
  trayWindowOptions,
  withCsp,
} from '../../../main/shell/window-options.js';
import {
  decideNavigation,
  decidePermission,
  decideWindowOpen,
  externalUrl,
} from '../../../main/shell/window-guards.js';
import { adminSessionCookie } from '../../../main/shell/session-cookie.js';
import { SESSION_COOKIE } from '../../../main/core/core.js';

const CORE = 'http://127.0.0.1:8484';

describe('window options', () => {
  for (const [name, options] of [
    ['tray window', trayWindowOptions()],
    ['full window', fullWindowOptions()],
  ] as const) {
    it(`${name}: every security default is on`, () => {
      const wp = options.webPreferences;
      expect(wp).toBeDefined();
      expect(wp?.contextIsolation).toBe(true);
      expect(wp?.sandbox).toBe(true);
      expect(wp?.nodeIntegration).toBe(false);
      expect(wp?.nodeIntegrationInWorker).toBe(false);
      expect(wp?.nodeIntegrationInSubFrames).toBe(false);
      expect(wp?.webSecurity).toBe(true);
      expect(wp?.allowRunningInsecureContent).toBe(false);
      expect(wp?.webviewTag).toBe(false);
      expect(wp?.experimentalFeatures).toBe(false);
      expect(wp?.navigateOnDragDrop).toBe(false);
      // No preload: the page gets nothing from the main process but its cookie.
      expect(wp?.preload).toBeUndefined();
      expect(wp?.partition).toBe(SESSION_PARTITION);
    });
  }

  it('uses an in-memory session partition so the admin cookie dies with the app', () => {
    expect(SESSION_PARTITION.startsWith('persist:')).toBe(false);
    expect(secureWebPreferences().partition).toBe('shimmy');
  });

  it('tray window: small, frameless, hidden until placed, off the taskbar', () => {
    const o = trayWindowOptions();
    expect([o.width, o.height]).toEqual([400, 600]);
    expect(TRAY_WINDOW_SIZE).toEqual({ width: 400, height: 600 });
    expect(o.frame).toBe(false);
    expect(o.show).toBe(false);
    expect(o.skipTaskbar).toBe(true);
    expect(o.resizable).toBe(false);
  });

  it('full window: framed and larger', () => {
    const o = fullWindowOptions();
    expect(o.frame).toBeUndefined();
    expect([o.width, o.height]).toEqual([FULL_WINDOW_SIZE.width, FULL_WINDOW_SIZE.height]);
    expect(o.width).toBeGreaterThan(400);
  });
});

describe('content security policy', () => {
  const directives = new Map(
    contentSecurityPolicy()
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values] as const),
  );

  it('denies by default and allows scripts only from the core', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
  });

  it('has no unsafe-inline, unsafe-eval, wildcard or remote source anywhere', () => {
    const csp = contentSecurityPolicy();
    expect(csp).not.toMatch(/unsafe-|\*|https?:|wss?:/);
  });

  it('replaces any CSP header the core sent (whatever its case) on core responses', () => {
    const headers = withCsp(
      { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] },
      `${CORE}/index.html`,
      CORE,
    );
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [contentSecurityPolicy()],
    });
  });

  it('adds the CSP when the core sent none, and leaves other origins alone', () => {
    expect(withCsp(undefined, `${CORE}/`, CORE)).toEqual({
      'Content-Security-Policy': [contentSecurityPolicy()],
    });
    expect(withCsp({ A: ['1'] }, 'https://example.com/', CORE)).toEqual({ A: ['1'] });
    // Same host, other port: a different origin.
    expect(withCsp({ A: ['1'] }, 'http://127.0.0.1:9999/', CORE)).toEqual({ A: ['1'] });
  });
});

describe('navigation guard', () => {
  it('allows moving within the dashboard origin', () => {
    expect(decideNavigation(`${CORE}/`, CORE)).toEqual({ allow: true });
    expect(decideNavigation(`${CORE}/tools/aider?x=1#y`, CORE)).toEqual({ allow: true });
  });

  it('blocks everything else; https goes to the system browser, other schemes nowhere', () => {
    expect(decideNavigation('https://platform.openai.com/usage', CORE)).toEqual({
      allow: false,
      openExternal: 'https://platform.openai.com/usage',
    });
    for (const url of [
      'http://evil.example/',
      'http://127.0.0.1:9999/',
      'http://localhost:8484/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,hi',
      'smb://host/share',
      'not a url',
    ]) {
      expect(decideNavigation(url, CORE)).toEqual({ allow: false, openExternal: null });
    }
  });
});

describe('window.open guard', () => {
  it('never opens an Electron window', () => {
    expect(decideWindowOpen(`${CORE}/`)).toEqual({ action: 'deny', openExternal: null });
    expect(decideWindowOpen('https://docs.anthropic.com/')).toEqual({
      action: 'deny',
      openExternal: 'https://docs.anthropic.com/',
    });
    expect(decideWindowOpen('http://docs.example/')).toEqual({ action: 'deny', openExternal: null });
  });

  it('hands the system browser only https links without credentials', () => {
    expect(externalUrl('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(externalUrl('https://user:pw@example.com/')).toBeNull();
    expect(externalUrl('HTTPS://EXAMPLE.com')).toBe('https://example.com/');
    expect(externalUrl('mailto:a@b.c')).toBeNull();
    expect(externalUrl('vscode://file/x')).toBeNull();
  });
});

describe('permission guard', () => {
  it('denies every permission request', () => {
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'pointerLock',
      'hid',
      'serial',
      'usb',
      'unknown',
    ]) {
      expect(decidePermission(p, `${CORE}/`, CORE)).toBe(false);
    }
  });

  it('allows sanitized clipboard writes only to the dashboard itself', () => {
    expect(decidePermission('clipboard-sanitized-write', `${CORE}/tools`, CORE)).toBe(true);
    expect(decidePermission('clipboard-sanitized-write', 'https://evil.example/', CORE)).toBe(false);
    expect(decidePermission('clipboard-sanitized-write', '', CORE)).toBe(false);
  });
});

describe('admin session cookie', () => {
  it('is host-only, HttpOnly, SameSite=Strict, without expiry, for the core URL', () => {
    expect(adminSessionCookie(CORE, 'abc123')).toEqual({
      url: 'http://127.0.0.1:8484/',
      name: SESSION_COOKIE,
      value: 'abc123',
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: false,
    });
    expect(SESSION_COOKIE).toBe('shimmy_session');
  });
});
