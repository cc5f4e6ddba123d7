// Images, PDFs and audio are reserved by their real size. Expected counts are worked by hand from
// the providers' published formulas (checked 2026-11-27):
//   Anthropic vision docs "Evaluate image size": tokens = w × h / 750 (long edge ≤ 1,568, ≤ 1.19 MP);
//   OpenAI images-vision guide "Calculating costs": tiles of 512 after fitting 2,048² and a 768
//   short side (gpt-4o 85 + 170/tile, gpt-4o-mini 2,833 + 5,667/tile), patches of 32 px × 1.62
//   for gpt-4.1-mini; PDFs: each page's text (≤ 3,000) + an image of the page.
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { estimateInputTokens } from '../../../main/core/meter/index.js';
import { audioTokens, imageTokens, pdfTokens } from '../../../main/core/meter/attachment-tokens.js';

/** A PNG header (signature + IHDR) of the given size: all the size reader looks at. */
function png(width: number, height: number): string {
  const b = Buffer.alloc(33);
  b.writeUInt32BE(0x89504e47, 0);
  b.writeUInt32BE(0x0d0a1a0a, 4);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b.toString('base64');
}

/** A JPEG with an APP0 segment and then SOF0 (height before width, as JPEG stores them). */
function jpeg(width: number, height: number): string {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const sof = Buffer.from([
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    height >> 8,
    height & 255,
    width >> 8,
    width & 255,
    3,
  ]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.alloc(16)]).toString('base64');
}

function pdf(pages: number): string {
  const objs = Array.from(
    { length: pages },
    (_, i) => `${i + 3} 0 obj << /Type /Page /Parent 2 0 R >> endobj`,
  );
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Count ${pages} >> endobj\n${objs.join('\n')}\n%%EOF`,
  ).toString('base64');
}

/** PDF 1.5 style: the page objects live only inside a Flate-compressed object stream. */
function pdfWithObjectStream(pages: number): string {
  const inner = deflateSync(Buffer.from(Array.from({ length: pages }, () => '<< /Type /Page >>').join(' ')));
  return Buffer.concat([
    Buffer.from('%PDF-1.5\n5 0 obj << /Type /ObjStm /N 2 /First 10 /Filter /FlateDecode >>\nstream\n'),
    inner,
    Buffer.from('\nendstream endobj\n%%EOF'),
  ]).toString('base64');
}

describe('image tokens by real size', () => {
  it('Anthropic: w × h / 750, scaled to the 1,568 edge and 1.19 MP', () => {
    // 1000 × 500 = 500,000 / 750 = 666.7 → 667
    expect(imageTokens('anthropic', 'claude-sonnet-4-5', { data: png(1000, 500) })).toBe(667);
    // 4000 × 3000 → 1,568 × 1,176 = 1.84 MP → capped at 1092² = 1,192,464 / 750 → 1,590
    expect(imageTokens('anthropic', 'claude-sonnet-4-5', { data: jpeg(4000, 3000) })).toBe(1590);
  });

  it('Anthropic high-resolution models (Opus 4.7 on): 2,576-px edge, 3.75 MP, 28-px patches', () => {
    // Source: platform.claude.com/docs/en/build-with-claude/vision (28-px patches, 2,576 px long
    // edge) and apidog.com/blog/claude-opus-4-7-api (3.75 MP), read 2026-11-29.
    // 2,576 × 1,456 = 3,750,656 px, just over 3.75 MP: scaled by √(3,750,000 / 3,750,656) = 0.99991
    // → 2,575.77 × 1,455.87: patches ⌈92.0⌉ × ⌈52.0⌉ = 92 × 52 = 4,784; pixels 3,750,000 / 750 =
    // 5,000 → the larger, 5,000. Earlier models: the 1,590 cap.
    expect(imageTokens('anthropic', 'claude-opus-4-7', { data: png(2576, 1456) })).toBe(5000);
    expect(imageTokens('anthropic', 'claude-opus-4-7-20260416', { data: png(2576, 1456) })).toBe(5000);
    expect(imageTokens('anthropic', 'anthropic/claude-opus-4.7', { data: png(2576, 1456) })).toBe(5000);
    expect(imageTokens('anthropic', 'claude-sonnet-4-5', { data: png(2576, 1456) })).toBe(1590);
    // 1,000 × 500, no scaling: patches ⌈35.7⌉ × ⌈17.9⌉ = 36 × 18 = 648; 500,000 / 750 = 666.7 → 667.
    expect(imageTokens('anthropic', 'claude-opus-4-7', { data: png(1000, 500) })).toBe(667);
    // A URL (size unknown): 3.75 MP / 750 = 5,000.
    expect(imageTokens('anthropic', 'claude-opus-4-7', {})).toBe(5000);
  });

  it('OpenAI tile models: 512-px tiles after fitting; low detail is the base only', () => {
    // 1000 × 500: no scaling; 2 × 1 tiles → 85 + 2 × 170 = 425
    expect(imageTokens('openai', 'gpt-4o', { data: `data:image/png;base64,${png(1000, 500)}` })).toBe(425);
    // 4096 × 2048 → 2048 × 1024 → short side 768: 1536 × 768 → 3 × 2 tiles → 85 + 6 × 170 = 1,105
    expect(imageTokens('openai', 'gpt-4o', { data: jpeg(4096, 2048) })).toBe(1105);
    // gpt-4o-mini bills the same 2 tiles as 2,833 + 2 × 5,667 = 14,167
    expect(imageTokens('openai', 'gpt-4o-mini', { data: png(1000, 500) })).toBe(14167);
    expect(imageTokens('openai', 'gpt-4o', { data: png(1000, 500), detail: 'low' })).toBe(85);
  });

  it('OpenAI patch models: 32-px patches (≤ 1,536) × the model multiplier', () => {
    // ceil(1000/32) × ceil(500/32) = 32 × 16 = 512 patches × 1.62 = 829.44 → 830
    expect(imageTokens('openai', 'gpt-4.1-mini', { data: png(1000, 500) })).toBe(830);
  });
});

describe('Gemini image and PDF tokens (ai.google.dev/gemini-api/docs/tokens, checked 2026-11-27)', () => {
  it('2.x: 258 for ≤ 384 px, else 258 per 768-px tile; a PDF page 258; Gemini 3: 1,120 an image', () => {
    expect(imageTokens('gemini', 'gemini-2.5-flash', { data: png(300, 300) })).toBe(258);
    // ceil(1000 / 768) × ceil(500 / 768) = 2 tiles × 258 = 516
    expect(imageTokens('gemini', 'gemini-2.5-flash', { data: png(1000, 500) })).toBe(516);
    expect(imageTokens('gemini', 'gemini-3-pro-preview', { data: png(1000, 500) })).toBe(1120);
    // 3 pages × 258 = 774; Gemini 3: 3 × 560 = 1,680
    expect(pdfTokens('gemini', 'gemini-2.5-pro', pdf(3))).toBe(774);
    expect(pdfTokens('gemini', 'gemini-3-pro-preview', pdf(3))).toBe(1680);
  });
});

describe('PDF tokens by page count', () => {
  it('counts pages, in plain objects and in compressed object streams', () => {
    // Anthropic: 3 pages × (3,000 text + 1,590 page image) = 13,770
    expect(pdfTokens('anthropic', 'claude-sonnet-4-5', pdf(3))).toBe(13_770);
    // 2 pages × 4,590 = 9,180
    expect(pdfTokens('anthropic', 'claude-sonnet-4-5', pdfWithObjectStream(2))).toBe(9_180);
  });

  it('a 100-page PDF is reserved as ~459K tokens, not 3,000', () => {
    const body = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf(100) } },
          ],
        },
      ],
    };
    // 100 × 4,590 = 459,000, plus 3 for the message and 3 for the request
    expect(estimateInputTokens('anthropic', 'messages', body, 'claude-sonnet-4-5')).toBe(459_006);
  });

  it('OpenAI file parts: pages × (3,000 + the tile worst case 85 + 8 × 170 = 1,445)', () => {
    const body = {
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'file',
              file: { filename: 'a.pdf', file_data: `data:application/pdf;base64,${pdf(10)}` },
            },
          ],
        },
      ],
    };
    // priming 3 + message 3 + "user" 1 + 10 × 4,445
    expect(estimateInputTokens('openai', 'chat', body, 'gpt-4o')).toBe(7 + 44_450);
  });
});

describe('audio tokens by duration', () => {
  it('a WAV by its byte rate, 10 tokens a second', () => {
    const wav = Buffer.alloc(44 + 64_000);
    wav.write('RIFF', 0, 'latin1');
    wav.write('WAVE', 8, 'latin1');
    wav.writeUInt32LE(32_000, 28); // 16 kHz mono 16-bit
    // 64,044 bytes / 32,000 per s = 2.001 s → 20.01 → 21
    expect(audioTokens(wav.toString('base64'))).toBe(21);
  });
});
