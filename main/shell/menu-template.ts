// Turns the plain-data tray menu into Electron's menu template, wiring clicks to one dispatcher.
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction, MenuItemModel } from './tray-model.js';

export function toMenuTemplate(
  items: MenuItemModel[],
  dispatch: (action: MenuAction) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator' };
      case 'submenu':
        return { type: 'submenu', label: item.label, submenu: toMenuTemplate(item.items, dispatch) };
      case 'checkbox':
        return {
          type: 'checkbox',
          label: item.label,
          checked: item.checked,
          click: () => dispatch(item.action),
        };
      case 'normal':
        return {
          type: 'normal',
          label: item.label,
          enabled: item.enabled ?? true,
          click: () => dispatch(item.action),
        };
    }
  });
}
