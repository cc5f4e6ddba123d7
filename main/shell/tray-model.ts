// What the tray shows, worked out from a core snapshot: title, tooltip, icon and the menu as
// plain data. tray.ts turns it into Electron objects; everything here is testable in Node.
import type { CoreSnapshot } from '../core/core.js';
import { formatUsd } from '../../shared/money.js';
import { openAiBaseUrl } from './env-snippet.js';
import { planSummary } from './plan-summary.js';
import type { PlanWindow } from '../../shared/plans.js';

export type TrayIconName = 'normal' | 'alert' | 'paused';

export type MenuAction =
  | { kind: 'open-dashboard' }
  | { kind: 'open-full-window' }
  | { kind: 'set-paused-all'; paused: boolean }
  | { kind: 'set-tool-paused'; tool: string; paused: boolean }
  | { kind: 'copy-base-url' }
  | { kind: 'copy-env-snippet' }
  | { kind: 'set-open-at-login'; openAtLogin: boolean }
  | { kind: 'quit' };

export type MenuItemModel =
  | { type: 'normal'; label: string; action: MenuAction; enabled?: boolean }
  | { type: 'checkbox'; label: string; checked: boolean; action: MenuAction }
  | { type: 'separator' }
  | { type: 'submenu'; label: string; items: MenuItemModel[] };

export interface TrayModel {
  /** Shown next to the icon on macOS only (other platforms have no tray title). */
  title: string;
  tooltip: string;
  iconName: TrayIconName;
  menu: MenuItemModel[];
}

export interface TrayModelInput {
  snapshot: CoreSnapshot;
  openAtLogin: boolean;
  platform: NodeJS.Platform;
  /** Plan windows from the latest `plan` event; absent or empty when none is known. */
  planWindows?: readonly PlanWindow[];
}

export function trayIconName(snapshot: CoreSnapshot): TrayIconName {
  // Paused wins: while paused nothing is spent, so an over-budget warning would be noise.
  if (snapshot.paused) return 'paused';
  if (snapshot.tools.some((t) => t.overBudget)) return 'alert';
  return 'normal';
}

export function trayTitle(
  snapshot: CoreSnapshot,
  platform: NodeJS.Platform,
  planWindows: readonly PlanWindow[] = [],
): string {
  if (platform !== 'darwin') return '';
  const plan = planSummary(planWindows);
  return plan ? `${formatUsd(snapshot.todayUsd)} · ${plan}` : formatUsd(snapshot.todayUsd);
}

/** Windows cuts tray tooltips at 127 characters; cut them ourselves so the end reads cleanly. */
export const TOOLTIP_MAX = 127;

export function trayTooltip(snapshot: CoreSnapshot, planWindows: readonly PlanWindow[] = []): string {
  const lines = [`Shimmy: ${formatUsd(snapshot.todayUsd)} today, ${formatUsd(snapshot.monthUsd)} this month`];
  const plan = planSummary(planWindows);
  if (plan) lines.push(`Plan: ${plan}`);
  if (snapshot.paused) lines.push('Proxy paused: all requests are refused');
  const over = snapshot.tools.filter((t) => t.overBudget).map((t) => t.name);
  if (over.length === 1) lines.push(`Over budget: ${over[0]}`);
  else if (over.length > 1) lines.push(`Over budget: ${over.length} tools (${over.join(', ')})`);
  const text = lines.join('\n');
  return text.length <= TOOLTIP_MAX ? text : `${text.slice(0, TOOLTIP_MAX - 1)}…`;
}

function toolItems(snapshot: CoreSnapshot): MenuItemModel[] {
  if (snapshot.tools.length === 0) {
    return [{ type: 'normal', label: 'No tools yet', action: { kind: 'open-dashboard' }, enabled: false }];
  }
  return [...snapshot.tools]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((t) => ({
      // Checked = running, so the tick reads "this tool may make requests".
      type: 'checkbox' as const,
      label: `${t.name}: ${formatUsd(t.todayUsd)} today${t.overBudget ? ' (over budget)' : ''}`,
      checked: !t.paused,
      action: { kind: 'set-tool-paused' as const, tool: t.name, paused: !t.paused },
    }));
}

export function trayMenu(snapshot: CoreSnapshot, openAtLogin: boolean): MenuItemModel[] {
  return [
    {
      type: 'normal',
      label: `Today ${formatUsd(snapshot.todayUsd)}`,
      action: { kind: 'open-dashboard' },
      enabled: false,
    },
    { type: 'separator' },
    { type: 'normal', label: 'Open dashboard', action: { kind: 'open-dashboard' } },
    { type: 'normal', label: 'Open in a full window', action: { kind: 'open-full-window' } },
    { type: 'separator' },
    snapshot.paused
      ? { type: 'normal', label: 'Resume all', action: { kind: 'set-paused-all', paused: false } }
      : { type: 'normal', label: 'Pause all', action: { kind: 'set-paused-all', paused: true } },
    { type: 'submenu', label: 'Tools', items: toolItems(snapshot) },
    { type: 'separator' },
    {
      type: 'normal',
      label: `Copy base URL (${openAiBaseUrl(snapshot.url)})`,
      action: { kind: 'copy-base-url' },
    },
    { type: 'normal', label: 'Copy env snippet', action: { kind: 'copy-env-snippet' } },
    { type: 'separator' },
    {
      type: 'checkbox',
      label: 'Start at login',
      checked: openAtLogin,
      action: { kind: 'set-open-at-login', openAtLogin: !openAtLogin },
    },
    { type: 'separator' },
    { type: 'normal', label: 'Quit Shimmy', action: { kind: 'quit' } },
  ];
}

export function trayModel({ snapshot, openAtLogin, platform, planWindows = [] }: TrayModelInput): TrayModel {
  return {
    title: trayTitle(snapshot, platform, planWindows),
    tooltip: trayTooltip(snapshot, planWindows),
    iconName: trayIconName(snapshot),
    menu: trayMenu(snapshot, openAtLogin),
  };
}

/** macOS wants monochrome template images (the system tints them); others get the colour set. */
export function trayIconFile(iconName: TrayIconName, platform: NodeJS.Platform): string {
  return platform === 'darwin' ? `tray-${iconName}Template.png` : `tray-${iconName}.png`;
}
