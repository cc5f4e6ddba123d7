// Page count of a PDF, which is what the providers bill a PDF by (text and an image per page).
// Page objects (`/Type /Page`) are counted in the file and, for PDF 1.5+ files that keep their
// objects in compressed object streams, inside those streams too (inflated with node:zlib).
import { inflateSync } from 'node:zlib';

const PAGE = /\/Type\s*\/Page(?![a-zA-Z])/g;
const OBJECT_STREAM = /\/Type\s*\/ObjStm[\s\S]{0,400}?stream\r?\n/g;
/** Inflated bytes allowed per object stream: a page dictionary is small, a bomb is not read. */
const MAX_INFLATED = 16 * 1024 * 1024;

export function pdfPageCount(pdf: Buffer): number | null {
  if (pdf.toString('latin1', 0, 5) !== '%PDF-') return null;
  const text = pdf.toString('latin1');
  let pages = countPages(text);
  if (pages > 0) return pages;
  for (const m of text.matchAll(OBJECT_STREAM)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) continue;
    try {
      const inflated = inflateSync(pdf.subarray(start, end), { maxOutputLength: MAX_INFLATED });
      pages += countPages(inflated.toString('latin1'));
    } catch {
      // Not Flate-compressed, or damaged: nothing countable in it.
    }
  }
  return pages > 0 ? pages : null;
}

function countPages(text: string): number {
  return text.match(PAGE)?.length ?? 0;
}
