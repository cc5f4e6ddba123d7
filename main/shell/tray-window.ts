// The two dashboard windows: the small frameless one under the tray icon (hidden on blur) and
// a full window on demand. Both share the prepared session, so both carry the admin cookie.
import { BrowserWindow, screen } from 'electron';
import type { Rectangle } from 'electron';
import { fullWindowOptions, trayWindowOptions } from './window-options.js';
import { trayWindowPosition } from './window-position.js';

export interface DashboardWindows {
  toggleTrayWindow(): void;
  showTrayWindow(): void;
  openFullWindow(): void;
  closeAll(): void;
}

export interface DashboardWindowsOptions {
  coreUrl: string;
  platform: NodeJS.Platform;
  trayBounds(): Rectangle;
}

// A click on the tray icon blurs (and so hides) the open tray window just before the click
// arrives; without this the click would reopen it at once.
const BLUR_CLICK_GRACE_MS = 300;

export function dashboardUrl(coreUrl: string): string {
  return new URL('/', coreUrl).href;
}

export function createDashboardWindows(opts: DashboardWindowsOptions): DashboardWindows {
  let trayWindow: BrowserWindow | null = null;
  let fullWindow: BrowserWindow | null = null;
  let hiddenByBlurAt = 0;

  const getTrayWindow = (): BrowserWindow => {
    if (trayWindow && !trayWindow.isDestroyed()) return trayWindow;
    const win = new BrowserWindow(trayWindowOptions());
    if (opts.platform === 'darwin') win.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
    win.on('blur', () => {
      if (!win.webContents.isDevToolsOpened()) {
        hiddenByBlurAt = Date.now();
        win.hide();
      }
    });
    win.on('closed', () => {
      trayWindow = null;
    });
    void win.loadURL(dashboardUrl(opts.coreUrl));
    trayWindow = win;
    return win;
  };

  const showTrayWindow = () => {
    const win = getTrayWindow();
    const tray = opts.trayBounds();
    const cursor = screen.getCursorScreenPoint();
    const hasTray = tray.width > 0 || tray.height > 0;
    const display = screen.getDisplayNearestPoint(
      hasTray ? { x: tray.x + Math.round(tray.width / 2), y: tray.y + Math.round(tray.height / 2) } : cursor,
    );
    const [width = 400, height = 600] = win.getSize();
    const pos = trayWindowPosition({
      tray,
      window: { width, height },
      display: display.bounds,
      workArea: display.workArea,
      platform: opts.platform,
      cursor,
    });
    win.setPosition(pos.x, pos.y, false);
    win.show();
    win.focus();
  };

  return {
    showTrayWindow,
    toggleTrayWindow() {
      const win = trayWindow;
      if (win && !win.isDestroyed() && win.isVisible()) return win.hide();
      if (Date.now() - hiddenByBlurAt < BLUR_CLICK_GRACE_MS) return;
      showTrayWindow();
    },
    openFullWindow() {
      trayWindow?.hide();
      if (fullWindow && !fullWindow.isDestroyed()) {
        if (fullWindow.isMinimized()) fullWindow.restore();
        fullWindow.show();
        fullWindow.focus();
        return;
      }
      const win = new BrowserWindow(fullWindowOptions());
      win.once('ready-to-show', () => win.show());
      win.on('closed', () => {
        fullWindow = null;
      });
      void win.loadURL(dashboardUrl(opts.coreUrl));
      fullWindow = win;
    },
    closeAll() {
      for (const w of [trayWindow, fullWindow]) if (w && !w.isDestroyed()) w.destroy();
    },
  };
}
