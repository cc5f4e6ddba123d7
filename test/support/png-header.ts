// The first bytes of a PNG of a given size: all an image-size reader (and a test provider that
// counts images by their IHDR chunk) looks at.

/** A PNG header of `w` × `h` pixels (8-bit RGBA). */
export function pngHeader(w: number, h: number): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  b[24] = 8;
  b[25] = 6;
  return b;
}

/** The same header as a `data:image/png;base64,…` URL. */
export const pngDataUrl = (w: number, h: number): string =>
  `data:image/png;base64,${pngHeader(w, h).toString('base64')}`;
