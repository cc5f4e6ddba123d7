import { describe, expect, it } from 'vitest';
import { trayEdge, trayWindowPosition, type Rect } from '../../../main/shell/window-position.js';

const WIN = { width: 400, height: 600 };

describe('tray window position', () => {
  it('macOS: centred under the menu-bar icon, just below the menu bar', () => {
    const display: Rect = { x: 0, y: 0, width: 1440, height: 900 };
    const workArea: Rect = { x: 0, y: 25, width: 1440, height: 875 };
    const tray: Rect = { x: 1000, y: 0, width: 22, height: 24 };
    // centre x 1011 − 200 = 811
    expect(trayWindowPosition({ tray, window: WIN, display, workArea, platform: 'darwin' })).toEqual({
      x: 811,
      y: 25,
    });
  });

  it('macOS: an icon near the right edge is clamped inside the work area', () => {
    const display: Rect = { x: 0, y: 0, width: 1440, height: 900 };
    const workArea: Rect = { x: 0, y: 25, width: 1440, height: 800 }; // dock at the bottom
    const tray: Rect = { x: 1400, y: 0, width: 22, height: 24 };
    // 1411 − 200 = 1211 would overflow; max x = 1440 − 400 = 1040
    expect(trayWindowPosition({ tray, window: WIN, display, workArea, platform: 'darwin' })).toEqual({
      x: 1040,
      y: 25,
    });
  });

  it('Windows: bottom-right taskbar puts the window above it, clamped to the right', () => {
    const display: Rect = { x: 0, y: 0, width: 1920, height: 1080 };
    const workArea: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
    const tray: Rect = { x: 1780, y: 1044, width: 24, height: 32 };
    expect(trayEdge(tray, display, workArea, 'win32')).toBe('bottom');
    // x: 1792 − 200 = 1592, max 1520 → 1520; y: 1040 − 600 = 440
    expect(trayWindowPosition({ tray, window: WIN, display, workArea, platform: 'win32' })).toEqual({
      x: 1520,
      y: 440,
    });
  });

  it('Windows: taskbar on the left puts the window beside it, centred on the icon', () => {
    const display: Rect = { x: 0, y: 0, width: 1920, height: 1080 };
    const workArea: Rect = { x: 62, y: 0, width: 1858, height: 1080 };
    const tray: Rect = { x: 18, y: 700, width: 24, height: 24 };
    expect(trayEdge(tray, display, workArea, 'win32')).toBe('left');
    // y: 712 − 300 = 412
    expect(trayWindowPosition({ tray, window: WIN, display, workArea, platform: 'win32' })).toEqual({
      x: 62,
      y: 412,
    });
  });

  it('Linux: a panel on the right edge, low icon clamped to the bottom', () => {
    const display: Rect = { x: 0, y: 0, width: 1600, height: 900 };
    const workArea: Rect = { x: 0, y: 0, width: 1560, height: 900 };
    const tray: Rect = { x: 1568, y: 860, width: 24, height: 24 };
    expect(trayEdge(tray, display, workArea, 'linux')).toBe('right');
    // x: 1560 − 400 = 1160; y: 872 − 300 = 572, max 900 − 600 = 300
    expect(trayWindowPosition({ tray, window: WIN, display, workArea, platform: 'linux' })).toEqual({
      x: 1160,
      y: 300,
    });
  });

  it('Linux: a top panel on a second monitor to the right of the first', () => {
    const display: Rect = { x: 1920, y: 0, width: 2560, height: 1440 };
    const workArea: Rect = { x: 1920, y: 32, width: 2560, height: 1408 };
    const tray: Rect = { x: 2100, y: 4, width: 24, height: 24 };
    expect(trayEdge(tray, display, workArea, 'linux')).toBe('top');
    // x: 2112 − 200 = 1912 < 1920 → clamped to 1920
    expect(trayWindowPosition({ tray, window: WIN, display, workArea, platform: 'linux' })).toEqual({
      x: 1920,
      y: 32,
    });
  });

  it('auto-hidden taskbar (no gap in the work area): nearest display edge wins', () => {
    const display: Rect = { x: 0, y: 0, width: 1920, height: 1080 };
    const tray: Rect = { x: 1700, y: 1050, width: 24, height: 24 };
    expect(trayEdge(tray, display, display, 'win32')).toBe('bottom');
    expect(trayWindowPosition({ tray, window: WIN, display, workArea: display, platform: 'win32' })).toEqual({
      x: 1512,
      y: 480,
    });
  });

  it('Linux without tray bounds: goes by the cursor', () => {
    const display: Rect = { x: 0, y: 0, width: 1600, height: 900 };
    const workArea: Rect = { x: 0, y: 28, width: 1600, height: 872 };
    const tray: Rect = { x: 0, y: 0, width: 0, height: 0 };
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
    const display: Rect = { x: 0, y: 0, width: 1600, height: 900 };
    const workArea: Rect = { x: 0, y: 28, width: 1600, height: 832 };
    const none: Rect = { x: 0, y: 0, width: 0, height: 0 };
    expect(trayWindowPosition({ tray: none, window: WIN, display, workArea, platform: 'linux' })).toEqual({
      x: 1200,
      y: 28,
    });
    expect(trayWindowPosition({ tray: none, window: WIN, display, workArea, platform: 'win32' })).toEqual({
      x: 1200,
      y: 260,
    });
  });

  it('a window larger than the work area stays pinned to its top-left corner', () => {
    const display: Rect = { x: 0, y: 0, width: 800, height: 500 };
    const workArea: Rect = { x: 0, y: 20, width: 800, height: 480 };
    const tray: Rect = { x: 700, y: 0, width: 20, height: 20 };
    expect(trayWindowPosition({ tray, window: WIN, display, workArea, platform: 'darwin' })).toEqual({
      x: 400,
      y: 20,
    });
  });

  it('always returns whole pixels', () => {
    const display: Rect = { x: 0, y: 0, width: 1440, height: 900 };
    const workArea: Rect = { x: 0, y: 25, width: 1440, height: 875 };
    const tray: Rect = { x: 1000, y: 0, width: 23, height: 24 };
    const p = trayWindowPosition({ tray, window: WIN, display, workArea, platform: 'darwin' });
    // centre 1011.5 − 200 = 811.5 → 812
    expect(p).toEqual({ x: 812, y: 25 });
  });
});
