// Page count of a PDF, which is what the providers bill a PDF by (text and an image per page).
// Page objects (`/Type /Page`) are counted in the file and, for PDF 1.5+ files that keep their
// objects in compressed object streams (inflated with node:zlib), inside those streams too —
// always, not only when the plain text has none: a file may keep one page in plain text and the
// rest in a stream. A name may spell any character as `#` and two hex digits (PDF 1.7, 7.3.5):
// `/P#61ge` is `/Page` to every reader, so escapes are decoded before matching. The page tree's
// own `/Count` is taken when it says more. Over-counting (an object an incremental update wrote
// twice) only over-reserves; a page missed was billed unreserved: 100 pages reserved as one, ten
// at once $4.80 on a $1 budget (test/integration/pdf-page-count-budget.test.ts, red14).
// node:zlib is loaded by the first object stream, not with the proxy: a start that meets no PDF
// never pays for it (issue 16; test/reliability/start-up.test.ts).

const PAGE = /\/Type\s*\/Page(?![a-zA-Z])/g;
const PAGES_COUNT =
  /\/Type\s*\/Pages(?![a-zA-Z])[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages(?![a-zA-Z])/g;
const NAME_ESCAPE = /#([0-9a-fA-F]{2})/g;
const OBJECT_STREAM = /\/Type\s*\/ObjStm[\s\S]{0,400}?stream\r?\n/g;
/** Inflated bytes allowed per object stream: a page dictionary is small, a bomb is not read. */
const MAX_INFLATED = 16 * 1024 * 1024;

export function pdfPageCount(pdf: Buffer): number | null {
  if (pdf.toString('latin1', 0, 5) !== '%PDF-') return null;
  const text = pdf.toString('latin1');
  let pages = countPages(text);
  for (const m of text.matchAll(OBJECT_STREAM)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) continue;
    try {
      const { inflateSync } = process.getBuiltinModule('node:zlib');
      const inflated = inflateSync(pdf.subarray(start, end), { maxOutputLength: MAX_INFLATED });
      pages += countPages(inflated.toString('latin1'));
    } catch {
      // Not Flate-compressed, or damaged: nothing countable in it.
    }
  }
  return pages > 0 ? pages : null;
}

function countPages(raw: string): number {
  const text = raw.includes('#')
    ? raw.replace(NAME_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : raw;
  let tree = 0;
  for (const m of text.matchAll(PAGES_COUNT)) tree = Math.max(tree, Number(m[1] ?? m[2]));
  return Math.max(text.match(PAGE)?.length ?? 0, tree);
}
