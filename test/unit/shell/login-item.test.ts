import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  autostartDesktopEntry,
  autostartFile,
  createLoginItem,
  desktopExecArg,
  type LoginItemApp,
} from '../../../main/shell/login-item.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'shimmy-login-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function fakeApp(): LoginItemApp & { set: boolean[] } {
  const set: boolean[] = [];
  let on = false;
  return {
    set,
    getLoginItemSettings: () => ({ openAtLogin: on }),
    setLoginItemSettings: ({ openAtLogin }) => {
      on = openAtLogin;
      set.push(openAtLogin);
    },
  };
}

describe('login item on Linux (XDG autostart)', () => {
  it('writes and removes ~/.config/autostart/shimmy.desktop', async () => {
    const app = fakeApp();
    const item = createLoginItem({
      platform: 'linux',
      app,
      configHome: dir,
      executable: '/opt/Shimmy/shimmy',
    });
    const file = join(dir, 'autostart', 'shimmy.desktop');
    expect(autostartFile(dir)).toBe(file);
    expect(item.isEnabled()).toBe(false);
    item.setEnabled(true);
    expect(item.isEnabled()).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(
      '[Desktop Entry]\nType=Application\nName=Shimmy\nComment=Local API proxy with per-tool budgets\n' +
        'Exec="/opt/Shimmy/shimmy"\nTerminal=false\nX-GNOME-Autostart-enabled=true\n',
    );
    item.setEnabled(false);
    expect(existsSync(file)).toBe(false);
    expect(item.isEnabled()).toBe(false);
    item.setEnabled(false); // already off: no error
    expect(app.set).toEqual([]); // Electron's login items are not used on Linux
  });

  it('quotes awkward paths per the Desktop Entry spec', () => {
    expect(desktopExecArg('/home/a b/Shimmy.AppImage')).toBe('"/home/a b/Shimmy.AppImage"');
    // $ → \$ (spec quoting) → \\$ (string escaping); % → %%
    expect(desktopExecArg('/x/$HOME/100%')).toBe('"/x/\\\\$HOME/100%%"');
    expect(desktopExecArg('/x/"q"')).toBe('"/x/\\\\"q\\\\""');
    expect(autostartDesktopEntry('/a b')).toContain('Exec="/a b"\n');
  });
});

describe('login item on macOS and Windows', () => {
  for (const platform of ['darwin', 'win32'] as const) {
    it(`${platform}: uses Electron's login item settings, not files`, () => {
      const app = fakeApp();
      const item = createLoginItem({ platform, app, configHome: dir, executable: '/x' });
      expect(item.isEnabled()).toBe(false);
      item.setEnabled(true);
      expect(item.isEnabled()).toBe(true);
      item.setEnabled(false);
      expect(app.set).toEqual([true, false]);
      expect(existsSync(join(dir, 'autostart'))).toBe(false);
    });
  }
});
