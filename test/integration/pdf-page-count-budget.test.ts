// A PDF is billed by its pages (Anthropic: each page's text plus an image of it, ~1,600 tokens for
// a letter-size page; docs.claude.com/en/docs/build-with-claude/pdf-support, read 2026-11-29), and
// Shimmy reserves it by the pages meter/pdf-pages.ts counts: `/Type /Page` in the file's bytes.
// A PDF name may spell any character as `#` and two hex digits (PDF 1.7, 7.3.5): `/P#61ge` is
// `/Page` to every reader, not to that regex. Neither are the pages of a file that keeps one page
// in plain text and the rest in a compressed object stream: the streams are read only when the
// plain text has no page at all.
//
// Found by red14 (2026-11-29; kept as it.fails until meter/pdf-pages.ts was fixed): a 100-page PDF
// with one page spelled plainly was reserved as one page. Ten at once billed $4.80 on a $1 budget.
// Prices: claude-sonnet-4-5 $3 in / $15 out per 1M (docs.claude.com/en/docs/about-claude/pricing,
// read 2026-11-29).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { startJsonProvider, type JsonProvider } from '../support/json-provider.js';

const PAGES = 100;
const TOKENS_PER_PAGE = 1_600;

/** A PDF of `pages` blank pages, the first spelled `/Type /Page`, the rest `/Type /P#61ge`. */
function pdf(pages: number): string {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>'];
  const kids = Array.from({ length: pages }, (_, i) => `${i + 3} 0 R`).join(' ');
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`);
  for (let i = 0; i < pages; i++)
    objects.push(`<< /Type /${i === 0 ? 'Page' : 'P#61ge'} /Parent 2 0 R /MediaBox [0 0 612 792] >>`);
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1').toString('base64');
}

/** Pages as a reader finds them: page objects, their names' `#xx` escapes decoded. */
function readerPages(base64: string): number {
  const text = Buffer.from(base64, 'base64')
    .toString('latin1')
    .replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}

let h: Harness;
let provider: JsonProvider;
let billedUsd = 0;

beforeAll(async () => {
  h = await startHarness();
  provider = await startJsonProvider((_, b) => {
    const block = (b.messages as Array<{ content: Array<{ source?: { data: string } }> }>)[0]!.content[0]!;
    const input = readerPages(block.source!.data) * TOKENS_PER_PAGE + 10;
    const output = Number(b.max_tokens);
    // 160,010 × 3e-6 + 100 × 15e-6 = $0.48153
    billedUsd += input * 3e-6 + output * 15e-6;
    return {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'ok' }],
      stop_reason: 'max_tokens',
      usage: { input_tokens: input, output_tokens: output },
    };
  });
  await h.point('anthropic', provider.url);
});
afterAll(async () => {
  await h.close();
  await provider.close();
});

it('10 readings of a 100-page PDF at once, one page spelled plainly, on a $1/day budget', async () => {
  const token = await h.tool('pdf-reader', { dailyUsd: 1 });
  const doc = pdf(PAGES);
  expect(readerPages(doc)).toBe(PAGES);
  const before = billedUsd;
  const statuses = await Promise.all(
    Array.from({ length: 10 }, () =>
      fetch(`${h.core.url}/v1/messages`, {
        method: 'POST',
        headers: {
          'x-api-key': token,
          'anthropic-version': '2023-06-01',
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          model: 'claude-sonnet-4-5',
          max_tokens: 100,
          messages: [
            {
              role: 'user',
              content: [
                { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: doc } },
                { type: 'text', text: 'Summarize.' },
              ],
            },
          ],
        }),
      }).then(async (r) => (await r.text(), r.status)),
    ),
  );
  const billed = billedUsd - before;
  expect(billed, `provider billed $${billed.toFixed(5)} on a $1 budget`).toBeLessThanOrEqual(1);
  expect(statuses.length).toBe(10);
});
