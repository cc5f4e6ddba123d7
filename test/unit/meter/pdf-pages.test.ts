// The page count a PDF is reserved by (providers bill a PDF per page).
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pdfPageCount } from '../../../main/core/meter/pdf-pages.js';

const pdf = (...parts: (string | Buffer)[]) =>
  Buffer.concat(['%PDF-1.7\n', ...parts].map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)));
const page = (n: number) => `${n} 0 obj << /Type /Page /Parent 2 0 R >> endobj\n`;

describe('PDF page count', () => {
  it('counts page objects, and is null for what is not a PDF', () => {
    expect(pdfPageCount(pdf(page(3), page(4), page(5)))).toBe(3);
    expect(pdfPageCount(Buffer.from('not a pdf'))).toBeNull();
  });

  it('reads names spelled with #xx escapes as every reader does', () => {
    expect(pdfPageCount(pdf(page(3), '4 0 obj << /T#79pe /P#61ge >> endobj\n'))).toBe(2);
  });

  it('counts pages in object streams even when the plain text has some', () => {
    const stream = deflateSync(Buffer.from('<< /Type /Page >> << /Type /Page >>', 'latin1'));
    expect(
      pdfPageCount(
        pdf(
          page(3),
          '9 0 obj << /Type /ObjStm /N 2 /Filter /FlateDecode >> stream\n',
          stream,
          '\nendstream\n',
        ),
      ),
    ).toBe(3);
  });

  it("takes the page tree's /Count when it says more", () => {
    expect(pdfPageCount(pdf('2 0 obj << /Type /Pages /Kids [3 0 R] /Count 40 >> endobj\n', page(3)))).toBe(
      40,
    );
  });
});
