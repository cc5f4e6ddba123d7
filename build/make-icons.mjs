// Writes the app and tray icons in build/ as PNGs, using only node:zlib (run: node build/make-icons.mjs).
// The logo is a stack of three bars (a shim stack / a spend meter) on a rounded square.
import { deflateSync, crc32 } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const SAMPLES = 4; // 4×4 supersampling per pixel for smooth edges

const INDIGO = [79, 70, 229];
const RED = [220, 38, 38];
const SLATE = [100, 116, 139];
const WHITE = [255, 255, 255];
const BLACK = [0, 0, 0];

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** rgba: Uint8Array of size*size*4, straight (not premultiplied) alpha. */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(rows, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const roundedRect = (x0, y0, x1, y1, r) => (x, y) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

// Shapes in unit coordinates (0..1), y down.
const bars = [
  roundedRect(0.2, 0.24, 0.8, 0.36, 0.06),
  roundedRect(0.2, 0.44, 0.68, 0.56, 0.06),
  roundedRect(0.2, 0.64, 0.54, 0.76, 0.06),
];
const pauseBars = [roundedRect(0.28, 0.22, 0.42, 0.78, 0.05), roundedRect(0.58, 0.22, 0.72, 0.78, 0.05)];
const alertDot = circle(0.8, 0.78, 0.18);
const background = roundedRect(0.04, 0.04, 0.96, 0.96, 0.2);

/** layers: [{ shape(x, y) → bool, color: [r, g, b] }] painted in order over transparency. */
function render(size, layers) {
  const out = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SAMPLES) / size;
          const y = (py + (sy + 0.5) / SAMPLES) / size;
          let hit = null;
          for (const layer of layers) if (layer.shape(x, y)) hit = layer.color;
          if (hit) {
            r += hit[0];
            g += hit[1];
            b += hit[2];
            a += 1;
          }
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
        out[i + 3] = Math.round((255 * a) / (SAMPLES * SAMPLES));
      }
    }
  }
  return out;
}

const any = (shapes) => (x, y) => shapes.some((s) => s(x, y));
const minus = (shape, hole) => (x, y) => shape(x, y) && !hole(x, y);

const app = [
  { shape: background, color: INDIGO },
  { shape: any(bars), color: WHITE },
];

// Tray glyphs: macOS templates are black + alpha (the system tints them); other platforms get colour.
const trayVariants = {
  normal: {
    template: [{ shape: any(bars), color: BLACK }],
    colour: [
      { shape: background, color: INDIGO },
      { shape: any(bars), color: WHITE },
    ],
  },
  alert: {
    template: [{ shape: any([minus(any(bars), circle(0.8, 0.78, 0.26)), alertDot]), color: BLACK }],
    colour: [
      { shape: background, color: RED },
      { shape: any(bars), color: WHITE },
    ],
  },
  paused: {
    template: [{ shape: any(pauseBars), color: BLACK }],
    colour: [
      { shape: background, color: SLATE },
      { shape: any(pauseBars), color: WHITE },
    ],
  },
};

function write(rel, size, layers) {
  const file = join(HERE, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, encodePng(size, render(size, layers)));
}

for (const size of [16, 32, 48, 64, 128, 256, 512]) write(`icons/${size}x${size}.png`, size, app);
write('icon.png', 512, app);
for (const [name, v] of Object.entries(trayVariants)) {
  write(`tray/tray-${name}Template.png`, 16, v.template);
  write(`tray/tray-${name}Template@2x.png`, 32, v.template);
  write(`tray/tray-${name}.png`, 16, v.colour);
  write(`tray/tray-${name}@2x.png`, 32, v.colour);
}
console.log('icons written to', HERE);
