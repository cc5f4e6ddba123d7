// "Start at login": Electron's login items on macOS and Windows; on Linux, where Electron has
// none, an XDG autostart entry (~/.config/autostart/shimmy.desktop).
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** The two calls we use from Electron's `app`, passed in so this file is testable in Node. */
export interface LoginItemApp {
  getLoginItemSettings(): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean }): void;
}

export interface LoginItemDeps {
  platform: NodeJS.Platform;
  app: LoginItemApp;
  /** $XDG_CONFIG_HOME or ~/.config (Linux only). */
  configHome: string;
  /** What to launch: $APPIMAGE for an AppImage (execPath is inside a temporary mount), else execPath. */
  executable: string;
}

export interface LoginItem {
  isEnabled(): boolean;
  setEnabled(enabled: boolean): void;
}

/** Quotes one Exec argument per the Desktop Entry spec (then escapes for the string value). */
export function desktopExecArg(arg: string): string {
  const quoted = `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%');
}

export function autostartDesktopEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Shimmy',
    'Comment=Local API proxy with per-tool budgets',
    `Exec=${desktopExecArg(executable)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function autostartFile(configHome: string): string {
  return join(configHome, 'autostart', 'shimmy.desktop');
}

export function createLoginItem(deps: LoginItemDeps): LoginItem {
  if (deps.platform !== 'linux') {
    return {
      isEnabled: () => deps.app.getLoginItemSettings().openAtLogin,
      setEnabled: (enabled) => deps.app.setLoginItemSettings({ openAtLogin: enabled }),
    };
  }
  const file = autostartFile(deps.configHome);
  return {
    isEnabled: () => existsSync(file),
    setEnabled(enabled) {
      if (!enabled) {
        rmSync(file, { force: true });
        return;
      }
      mkdirSync(join(deps.configHome, 'autostart'), { recursive: true });
      writeFileSync(file, autostartDesktopEntry(deps.executable));
    },
  };
}
