// Where the small tray window goes: next to the tray icon, on the side of the screen the
// menu bar / taskbar is on, and always wholly inside the display's work area.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Size {
  width: number;
  height: number;
}
export interface Point {
  x: number;
  y: number;
}
export type Edge = 'top' | 'bottom' | 'left' | 'right';

export interface PositionInput {
  /** tray.getBounds(); all zeros on many Linux desktops, which don't report it. */
  tray: Rect;
  window: Size;
  /** Full bounds and work area (minus menu bar / taskbar / dock) of the tray's display. */
  display: Rect;
  workArea: Rect;
  platform: NodeJS.Platform;
  /** Used when the tray bounds are unknown: the pointer is where the user just clicked. */
  cursor?: Point;
}

const isEmpty = (r: Rect) => r.width === 0 && r.height === 0;
const isRect = (a: Rect | Point): a is Rect => 'width' in a;
const centre = (a: Rect | Point): Point => (isRect(a) ? { x: a.x + a.width / 2, y: a.y + a.height / 2 } : a);

/**
 * The screen edge the tray sits on. macOS: always the top menu bar. Elsewhere: the edge whose
 * strip outside the work area (the taskbar) contains the tray; failing that (auto-hidden
 * taskbar, unknown bounds) the display edge nearest to the tray.
 */
export function trayEdge(tray: Rect | Point, display: Rect, workArea: Rect, platform: NodeJS.Platform): Edge {
  if (platform === 'darwin') return 'top';
  const c = centre(tray);
  const strips: Array<[Edge, boolean]> = [
    ['top', workArea.y > display.y && c.y < workArea.y],
    [
      'bottom',
      workArea.y + workArea.height < display.y + display.height && c.y >= workArea.y + workArea.height,
    ],
    ['left', workArea.x > display.x && c.x < workArea.x],
    ['right', workArea.x + workArea.width < display.x + display.width && c.x >= workArea.x + workArea.width],
  ];
  const inStrip = strips.find(([, hit]) => hit);
  if (inStrip) return inStrip[0];
  const distances: Array<[Edge, number]> = [
    ['top', c.y - display.y],
    ['bottom', display.y + display.height - c.y],
    ['left', c.x - display.x],
    ['right', display.x + display.width - c.x],
  ];
  distances.sort((a, b) => a[1] - b[1]);
  return distances[0]![0];
}

function clamp(value: number, min: number, max: number): number {
  // A window bigger than the work area pins to its top/left corner rather than going off-screen there.
  return Math.max(min, Math.min(value, max));
}

export function trayWindowPosition(input: PositionInput): Point {
  const { window: win, workArea, display, platform } = input;
  const right = workArea.x + workArea.width;
  const bottom = workArea.y + workArea.height;
  let x: number;
  let y: number;
  const anchor: Rect | Point | undefined = !isEmpty(input.tray) ? input.tray : input.cursor;
  if (!anchor) {
    // Nothing to go by: the corner where that platform's tray usually is.
    x = right - win.width;
    y = platform === 'win32' ? bottom - win.height : workArea.y;
  } else {
    const c = centre(anchor);
    const edge = trayEdge(anchor, display, workArea, platform);
    if (edge === 'top' || edge === 'bottom') {
      x = c.x - win.width / 2;
      y = edge === 'top' ? workArea.y : bottom - win.height;
    } else {
      y = c.y - win.height / 2;
      x = edge === 'left' ? workArea.x : right - win.width;
    }
  }
  return {
    x: Math.round(clamp(x, workArea.x, right - win.width)),
    y: Math.round(clamp(y, workArea.y, bottom - win.height)),
  };
}
