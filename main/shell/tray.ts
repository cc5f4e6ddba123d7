// The tray icon itself: applies a TrayModel (icon, title, tooltip, menu) to Electron's Tray.
import { Menu, Tray, nativeImage } from 'electron';
import type { NativeImage, Rectangle } from 'electron';
import { join } from 'node:path';
import { toMenuTemplate } from './menu-template.js';
import { trayIconFile } from './tray-model.js';
import type { MenuAction, TrayIconName, TrayModel } from './tray-model.js';

export interface ShimmyTray {
  update(model: TrayModel): void;
  bounds(): Rectangle;
  destroy(): void;
}

export interface ShimmyTrayOptions {
  /** Folder with the tray PNGs (build/tray, packaged via electron-builder `files`). */
  iconDir: string;
  platform: NodeJS.Platform;
  initial: TrayModel;
  dispatch(action: MenuAction): void;
  onClick(): void;
}

export function createShimmyTray(opts: ShimmyTrayOptions): ShimmyTray {
  const icons = new Map<TrayIconName, NativeImage>();
  const icon = (name: TrayIconName): NativeImage => {
    let img = icons.get(name);
    if (!img) {
      // Electron picks up the @2x sibling by itself on high-DPI screens.
      img = nativeImage.createFromPath(join(opts.iconDir, trayIconFile(name, opts.platform)));
      if (opts.platform === 'darwin') img.setTemplateImage(true);
      icons.set(name, img);
    }
    return img;
  };

  const tray = new Tray(icon(opts.initial.iconName));
  let menu = Menu.buildFromTemplate(toMenuTemplate(opts.initial.menu, opts.dispatch));
  let last = '';

  // Linux (AppIndicator) delivers no click events: the menu must be attached and is the UI.
  // Elsewhere left click opens the dashboard window and right click the menu.
  if (opts.platform === 'linux') tray.setContextMenu(menu);
  else {
    tray.on('click', () => opts.onClick());
    tray.on('right-click', () => tray.popUpContextMenu(menu));
  }

  const update = (model: TrayModel) => {
    const key = JSON.stringify(model);
    if (key === last) return; // spend events can arrive many times a second
    last = key;
    tray.setImage(icon(model.iconName));
    tray.setToolTip(model.tooltip);
    if (opts.platform === 'darwin') tray.setTitle(model.title, { fontType: 'monospacedDigit' });
    menu = Menu.buildFromTemplate(toMenuTemplate(model.menu, opts.dispatch));
    if (opts.platform === 'linux') tray.setContextMenu(menu);
  };
  update(opts.initial);

  return {
    update,
    bounds: () => tray.getBounds(),
    destroy: () => tray.destroy(),
  };
}
