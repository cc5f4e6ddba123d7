import { describe, expect, it } from 'vitest';
import { trayEdge, trayWindowPosition, type Rect } from '../../../main/shell/window-position.js';

const WIN = { width: 400, height: 600 };

describe('tray window position', () => {
  /** A rectangle at (x, y), `width` × `height`. */
  const rect = (x: number, y: number, width: number, height: number): Rect => ({ x, y, width, height });

  // Each: the platform, its display, work area and tray icon bounds, the edge the tray is found on
  // (where the case checks it), and where the window goes.
  it.each([
    {
      name: 'macOS: centred under the menu-bar icon, just below the menu bar',
      platform: 'darwin',
      display: rect(0, 0, 1440, 900),
      workArea: rect(0, 25, 1440, 875),
      tray: rect(1000, 0, 22, 24),
      // centre x 1011 − 200 = 811
      at: { x: 811, y: 25 },
    },
    {
      name: 'macOS: an icon near the right edge is clamped inside the work area',
      platform: 'darwin',
      display: rect(0, 0, 1440, 900),
      workArea: rect(0, 25, 1440, 800), // dock at the bottom
      tray: rect(1400, 0, 22, 24),
      // 1411 − 200 = 1211 would overflow; max x = 1440 − 400 = 1040
      at: { x: 1040, y: 25 },
    },
    {
      name: 'Windows: bottom-right taskbar puts the window above it, clamped to the right',
      platform: 'win32',
      display: rect(0, 0, 1920, 1080),
      workArea: rect(0, 0, 1920, 1040),
      tray: rect(1780, 1044, 24, 32),
      edge: 'bottom',
      // x: 1792 − 200 = 1592, max 1520 → 1520; y: 1040 − 600 = 440
      at: { x: 1520, y: 440 },
    },
    {
      name: 'Windows: taskbar on the left puts the window beside it, centred on the icon',
      platform: 'win32',
      display: rect(0, 0, 1920, 1080),
      workArea: rect(62, 0, 1858, 1080),
      tray: rect(18, 700, 24, 24),
      edge: 'left',
      // y: 712 − 300 = 412
      at: { x: 62, y: 412 },
    },
    {
      name: 'Linux: a panel on the right edge, low icon clamped to the bottom',
      platform: 'linux',
      display: rect(0, 0, 1600, 900),
      workArea: rect(0, 0, 1560, 900),
      tray: rect(1568, 860, 24, 24),
      edge: 'right',
      // x: 1560 − 400 = 1160; y: 872 − 300 = 572, max 900 − 600 = 300
      at: { x: 1160, y: 300 },
    },
    {
      name: 'Linux: a top panel on a second monitor to the right of the first',
      platform: 'linux',
      display: rect(1920, 0, 2560, 1440),
      workArea: rect(1920, 32, 2560, 1408),
      tray: rect(2100, 4, 24, 24),
      edge: 'top',
      // x: 2112 − 200 = 1912 < 1920 → clamped to 1920
      at: { x: 1920, y: 32 },
    },
    {
      name: 'auto-hidden taskbar (no gap in the work area): nearest display edge wins',
      platform: 'win32',
      display: rect(0, 0, 1920, 1080),
      workArea: rect(0, 0, 1920, 1080),
      tray: rect(1700, 1050, 24, 24),
      edge: 'bottom',
      at: { x: 1512, y: 480 },
    },
    {
      name: 'a window larger than the work area stays pinned to its top-left corner',
      platform: 'darwin',
      display: rect(0, 0, 800, 500),
      workArea: rect(0, 20, 800, 480),
      tray: rect(700, 0, 20, 20),
      at: { x: 400, y: 20 },
    },
    {
      name: 'always returns whole pixels',
      platform: 'darwin',
      display: rect(0, 0, 1440, 900),
      workArea: rect(0, 25, 1440, 875),
      tray: rect(1000, 0, 23, 24),
      // centre 1011.5 − 200 = 811.5 → 812
      at: { x: 812, y: 25 },
    },
  ] as const)('$name', ({ platform, display, workArea, tray, at, ...x }) => {
    if ('edge' in x) expect(trayEdge(tray, display, workArea, platform)).toBe(x.edge);
    expect(trayWindowPosition({ tray, window: WIN, display, workArea, platform })).toEqual(at);
  });

  it('Linux without tray bounds: goes by the cursor', () => {
    const display = rect(0, 0, 1600, 900);
    const workArea = rect(0, 28, 1600, 872);
    const tray = rect(0, 0, 0, 0);
    expect(
      trayWindowPosition({
        tray,
        window: WIN,
        display,
        workArea,
        platform: 'linux',
        cursor: { x: 700, y: 10 },
      }),
    ).toEqual({ x: 500, y: 28 });
  });

  it('without tray bounds or cursor: the usual corner of the platform', () => {
    const display = rect(0, 0, 1600, 900);
    const workArea = rect(0, 28, 1600, 832);
    const none = rect(0, 0, 0, 0);
    expect(trayWindowPosition({ tray: none, window: WIN, display, workArea, platform: 'linux' })).toEqual({
      x: 1200,
      y: 28,
    });
    expect(trayWindowPosition({ tray: none, window: WIN, display, workArea, platform: 'win32' })).toEqual({
      x: 1200,
      y: 260,
    });
  });
});
