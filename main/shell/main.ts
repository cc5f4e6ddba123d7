// Electron entry point (package.json "main"): wires the pieces only. Single instance, then the
// same core as `shimmy serve` in-process, then windows, tray, notifications and login item.
import { app, clipboard, dialog } from 'electron';
import { homedir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { defaultDataDir } from '../core/config/data-dir.js';
import type { Core } from '../core/core.js';
import { prepareSession, guardWebContents } from './web-security.js';
import { createDashboardWindows } from './tray-window.js';
import { createShimmyTray } from './tray.js';
import { trayModel } from './tray-model.js';
import type { PlanWindow } from '../../shared/plans.js';
import { createTrayActions } from './tray-actions.js';
import { createLoginItem } from './login-item.js';
import { createNotificationPolicy } from './notifications-policy.js';
import { startNotifications } from './notifications.js';

const APP_ID = 'dev.shimmy.app';
const TRAY_REFRESH_MS = 250; // coalesces bursts of spend events into one redraw
const DAY_ROLLOVER_CHECK_MS = 60_000; // "today" changes at midnight with no event to say so

// Set once the windows exist; a second launch during start-up just has nothing to focus yet.
let onSecondInstance: () => void = () => undefined;

async function onReady(): Promise<void> {
  const platform = process.platform;
  if (platform === 'win32') app.setAppUserModelId(APP_ID); // required for Windows notifications
  app.dock?.hide(); // a tray app; LSUIElement does the same in the packaged build

  let core: Core;
  try {
    // The bundled core (`npm run build:core` writes dist/main/bundle/core.cjs), the same file
    // `shimmy serve` runs: a few files instead of ~660 modules, and ~8 MB less heap held for as
    // long as the app runs, twice that in RSS once V8 sizes the old generation (issue 16).
    const { startCore } = createRequire(import.meta.url)(
      '../bundle/core.cjs',
    ) as typeof import('../core/start-core.js');
    core = await startCore({ dataDir: defaultDataDir() });
  } catch (err) {
    dialog.showErrorBox('Shimmy could not start', err instanceof Error ? err.message : String(err));
    app.exit(1);
    return;
  }

  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, core.url));
  await prepareSession(core.url, () => core.createAdminSession());

  const loginItem = createLoginItem({
    platform,
    app,
    configHome: process.env.XDG_CONFIG_HOME || join(homedir(), '.config'),
    executable: process.env.APPIMAGE || process.execPath,
  });
  let planWindows: PlanWindow[] = [];
  const model = () =>
    trayModel({ snapshot: core.snapshot(), openAtLogin: loginItem.isEnabled(), platform, planWindows });

  let tray: ReturnType<typeof createShimmyTray> | null = null;
  const windows = createDashboardWindows({
    coreUrl: core.url,
    platform,
    trayBounds: () => tray?.bounds() ?? { x: 0, y: 0, width: 0, height: 0 },
  });
  let refreshTimer: NodeJS.Timeout | null = null;
  const refresh = () => {
    if (refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      tray?.update(model());
    }, TRAY_REFRESH_MS);
  };

  const dispatch = createTrayActions({
    core,
    platform,
    writeClipboard: (text) => clipboard.writeText(text),
    openDashboard: () => windows.showTrayWindow(),
    openFullWindow: () => windows.openFullWindow(),
    loginItem,
    quit: () => app.quit(),
    refresh,
    onError: (err) => dialog.showErrorBox('Shimmy', err instanceof Error ? err.message : String(err)),
  });
  tray = createShimmyTray({
    iconDir: join(app.getAppPath(), 'build', 'tray'),
    platform,
    initial: model(),
    dispatch,
    onClick: () => windows.toggleTrayWindow(),
  });

  const stopTrayEvents = core.events.subscribe((event) => {
    if (event.type === 'plan') planWindows = event.windows; // every window known now
    if (event.type !== 'request.start') refresh();
  });
  const stopNotifications = startNotifications(
    core.events,
    createNotificationPolicy({ now: () => new Date() }),
    () => windows.openFullWindow(),
  );
  const dayTimer = setInterval(refresh, DAY_ROLLOVER_CHECK_MS);

  onSecondInstance = () => windows.openFullWindow();
  // A tray app keeps running with every window closed.
  app.on('window-all-closed', () => undefined);

  let closed = false;
  let closing = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault(); // finish the ledger writes before the process goes
    if (closing) return;
    closing = true;
    clearInterval(dayTimer);
    if (refreshTimer) clearTimeout(refreshTimer);
    stopTrayEvents();
    stopNotifications();
    windows.closeAll();
    tray?.destroy();
    core
      .close()
      .catch((err: unknown) => console.error('[shimmy] closing the core failed:', err))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another Shimmy is running; it got a 'second-instance' event and shows its window.
  app.quit();
} else {
  app.on('second-instance', () => onSecondInstance());
  app
    .whenReady()
    .then(onReady)
    .catch((err: unknown) => {
      console.error('[shimmy] startup failed:', err);
      app.exit(1);
    });
}
