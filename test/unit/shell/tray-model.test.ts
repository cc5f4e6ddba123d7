import { describe, expect, it } from 'vitest';
import type { CoreSnapshot, ToolSnapshot } from '../../../main/core/core.js';
import {
  TOOLTIP_MAX,
  trayIconFile,
  trayIconName,
  trayModel,
  trayTitle,
  trayTooltip,
  type MenuItemModel,
} from '../../../main/shell/tray-model.js';

const tool = (name: string, over: Partial<ToolSnapshot> = {}): ToolSnapshot => ({
  name,
  paused: false,
  todayUsd: 0,
  monthUsd: 0,
  overBudget: false,
  ...over,
});

const snap = (over: Partial<CoreSnapshot> = {}): CoreSnapshot => ({
  url: 'http://127.0.0.1:8484',
  paused: false,
  todayUsd: 1.5,
  monthUsd: 42.125,
  tools: [],
  ...over,
});

function labels(items: MenuItemModel[]): string[] {
  return items.map((i) => (i.type === 'separator' ? '---' : i.label));
}

describe('tray icon choice', () => {
  it('is normal when nothing is wrong', () => {
    expect(trayIconName(snap({ tools: [tool('a'), tool('b', { paused: true })] }))).toBe('normal');
  });
  it('is alert when any tool is over budget', () => {
    expect(trayIconName(snap({ tools: [tool('a'), tool('b', { overBudget: true })] }))).toBe('alert');
  });
  it('is paused when the proxy is paused, even with a tool over budget', () => {
    expect(trayIconName(snap({ paused: true, tools: [tool('b', { overBudget: true })] }))).toBe('paused');
  });
  it('uses template images on macOS and colour PNGs elsewhere', () => {
    expect(trayIconFile('alert', 'darwin')).toBe('tray-alertTemplate.png');
    expect(trayIconFile('paused', 'win32')).toBe('tray-paused.png');
    expect(trayIconFile('normal', 'linux')).toBe('tray-normal.png');
  });
});

describe('tray title and tooltip', () => {
  it("shows today's spend as the title on macOS only", () => {
    expect(trayTitle(snap({ todayUsd: 3.456 }), 'darwin')).toBe('$3.46');
    expect(trayTitle(snap({ todayUsd: 0.0042 }), 'darwin')).toBe('$0.0042');
    expect(trayTitle(snap({ todayUsd: 0 }), 'darwin')).toBe('$0.00');
    expect(trayTitle(snap({ todayUsd: 3.456 }), 'win32')).toBe('');
    expect(trayTitle(snap({ todayUsd: 3.456 }), 'linux')).toBe('');
  });
  it('puts today and month in the tooltip', () => {
    expect(trayTooltip(snap())).toBe('Shimmy: $1.50 today, $42.13 this month');
  });
  it('says when paused and which tools are over budget', () => {
    expect(trayTooltip(snap({ paused: true, tools: [tool('cursor', { overBudget: true })] }))).toBe(
      'Shimmy: $1.50 today, $42.13 this month\nProxy paused: all requests are refused\nOver budget: cursor',
    );
    expect(
      trayTooltip(snap({ tools: [tool('a', { overBudget: true }), tool('b', { overBudget: true })] })),
    ).toBe('Shimmy: $1.50 today, $42.13 this month\nOver budget: 2 tools (a, b)');
  });
  it('keeps the tooltip within the Windows limit', () => {
    const tools = Array.from({ length: 30 }, (_, i) => tool(`tool-number-${i}`, { overBudget: true }));
    const text = trayTooltip(snap({ tools }));
    expect(text).toHaveLength(TOOLTIP_MAX);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('tray menu', () => {
  it('lists every entry in order, with the base URL in the copy item', () => {
    const m = trayModel({ snapshot: snap(), openAtLogin: false, platform: 'darwin' });
    expect(labels(m.menu)).toEqual([
      'Today $1.50',
      '---',
      'Open dashboard',
      'Open in a full window',
      '---',
      'Pause all',
      'Tools',
      '---',
      'Copy base URL (http://127.0.0.1:8484/v1)',
      'Copy env snippet',
      '---',
      'Start at login',
      '---',
      'Quit Shimmy',
    ]);
    expect(m.title).toBe('$1.50');
    expect(m.iconName).toBe('normal');
  });

  it('offers resume when paused', () => {
    const m = trayModel({ snapshot: snap({ paused: true }), openAtLogin: false, platform: 'linux' });
    const item = m.menu.find((i) => i.type === 'normal' && i.label === 'Resume all');
    expect(item).toEqual({
      type: 'normal',
      label: 'Resume all',
      action: { kind: 'set-paused-all', paused: false },
    });
    expect(m.menu.some((i) => i.type === 'normal' && i.label === 'Pause all')).toBe(false);
  });

  it('has one checkbox per tool, sorted, checked when running, toggling to the opposite', () => {
    const m = trayModel({
      snapshot: snap({
        tools: [
          tool('zed', { paused: true, todayUsd: 0.25 }),
          tool('aider', { todayUsd: 2, overBudget: true }),
        ],
      }),
      openAtLogin: false,
      platform: 'win32',
    });
    const tools = m.menu.find((i) => i.type === 'submenu');
    expect(tools).toEqual({
      type: 'submenu',
      label: 'Tools',
      items: [
        {
          type: 'checkbox',
          label: 'aider: $2.00 today (over budget)',
          checked: true,
          action: { kind: 'set-tool-paused', tool: 'aider', paused: true },
        },
        {
          type: 'checkbox',
          label: 'zed: $0.2500 today',
          checked: false,
          action: { kind: 'set-tool-paused', tool: 'zed', paused: false },
        },
      ],
    });
  });

  it('shows a disabled placeholder when there are no tools', () => {
    const m = trayModel({ snapshot: snap(), openAtLogin: false, platform: 'linux' });
    const tools = m.menu.find((i) => i.type === 'submenu');
    expect(tools?.type === 'submenu' && tools.items).toEqual([
      { type: 'normal', label: 'No tools yet', action: { kind: 'open-dashboard' }, enabled: false },
    ]);
  });

  it('reflects and flips the start-at-login state', () => {
    for (const openAtLogin of [true, false]) {
      const m = trayModel({ snapshot: snap(), openAtLogin, platform: 'darwin' });
      const item = m.menu.find((i) => i.type === 'checkbox' && i.label === 'Start at login');
      expect(item).toEqual({
        type: 'checkbox',
        label: 'Start at login',
        checked: openAtLogin,
        action: { kind: 'set-open-at-login', openAtLogin: !openAtLogin },
      });
    }
  });
});

describe('plan windows in the tray', () => {
  const win = (provider: string, window: '5h' | '7d', usedPercent: number) => ({
    provider,
    window,
    usedPercent,
    resetsAt: '2026-11-25T15:00:00.000Z',
    seenAt: '2026-11-25T10:00:00.000Z',
  });

  it('shows nothing about plans when no window is known', () => {
    const m = trayModel({ snapshot: snap(), openAtLogin: false, platform: 'darwin', planWindows: [] });
    expect(m.title).toBe('$1.50');
    expect(m.tooltip).not.toContain('Plan');
  });

  it('shows the 5h and weekly percent of one plan, 5h first', () => {
    const planWindows = [win('anthropic', '7d', 12.2), win('anthropic', '5h', 43)];
    const m = trayModel({ snapshot: snap(), openAtLogin: false, platform: 'darwin', planWindows });
    expect(m.title).toBe('$1.50 · 5h 43% · wk 12%');
    expect(m.tooltip.split('\n')).toContain('Plan: 5h 43% · wk 12%');
  });

  it('names the provider when two plans are known', () => {
    const planWindows = [win('openai', '5h', 10), win('anthropic', '5h', 43), win('anthropic', '7d', 12)];
    const m = trayModel({ snapshot: snap(), openAtLogin: false, platform: 'linux', planWindows });
    expect(m.title).toBe('');
    expect(m.tooltip).toContain('Plan: anthropic 5h 43% · wk 12% | openai 5h 10%');
  });
});
