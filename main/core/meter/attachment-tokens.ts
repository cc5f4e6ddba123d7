// Input tokens of images, PDFs and audio by their real size, per the providers' documented
// formulas (checked 2026-11):
// - Anthropic images (docs.claude.com/en/docs/build-with-claude/vision, "Evaluate image size"):
//   tokens = width × height / 750, after scaling the long edge to ≤ 1,568 px and the area to
//   ≤ ~1.19 MP (1,092 × 1,092), i.e. at most ~1,590 tokens.
// - OpenAI images (platform.openai.com/docs/guides/images-vision, "Calculating costs"): tile
//   models fit the image in 2,048 × 2,048, scale its short side to 768, then bill base + per-tile
//   tokens per 512-px tile (`detail: low`: base only); patch models bill 32-px patches (at most
//   1,536) times a multiplier.
// - PDFs (Anthropic "PDF support", OpenAI "File inputs"): each page is its extracted text
//   (1,500–3,000 tokens a page) plus an image of the page.
// - Audio (OpenAI audio guide): about 10 input tokens per second.
// - Gemini (ai.google.dev/gemini-api/docs/tokens and /media-resolution): 2.x bills an image ≤ 384
//   px a side as 258 tokens, a larger one as 258 per 768-px tile, a PDF page as 258, audio 32/s;
//   Gemini 3 bills an image at up to 1,120 tokens (high resolution) and a PDF page at up to 560.
// A size that cannot be read (a URL, a file id, a damaged header) gets the formula's worst case.
import { base64Bytes, base64Head, imageSize, type ImageSize } from './image-size.js';
import { pdfPageCount } from './pdf-pages.js';
import { bareModel } from '../route/bare-model.js';

export type AttachmentFamily = 'anthropic' | 'openai' | 'gemini';

const GEMINI_TILE_TOKENS = 258;
const GEMINI3_IMAGE_TOKENS = 1120;
const GEMINI3_PAGE_TOKENS = 560;
const isGemini3 = (model: string) => /^gemini-3/.test(bareModel(model));

const ANTHROPIC_MAX_EDGE = 1568;
const ANTHROPIC_MAX_PIXELS = 1092 * 1092;
const ANTHROPIC_PIXELS_PER_TOKEN = 750;
/** Claude's high-resolution vision (Opus 4.7, 2026-04-16, and later models; OpenRouter spells it
 *  `anthropic/claude-opus-4.7`): images up to 2,576 px
 *  on the long edge and 3.75 MP, counted in 28-px patches (platform.claude.com/docs/en/build-with-
 *  claude/vision, read 2026-11-29 through helper red19; 3.75 MP also apidog.com's Opus 4.7 guide).
 *  At the 1.19 MP cap of earlier models a 2,576 × 1,456 image was reserved at 1,590 tokens and
 *  billed ~4,784. The reservation takes the larger of the patch count and pixels / 750. */
const HIGH_RES_CLAUDE =
  /^claude-(?:opus-4[-.](?:[7-9]|\d{2,})|(?:opus|sonnet|haiku)-(?:[5-9]|\d{2,}))(?:\b|-|$)/;
const HIGH_RES_MAX_EDGE = 2576;
const HIGH_RES_MAX_PIXELS = 3_750_000;
const HIGH_RES_PATCH_PX = 28;

interface TileRule {
  kind: 'tile';
  base: number;
  tile: number;
}
interface PatchRule {
  kind: 'patch';
  multiplier: number;
}

/** OpenAI's per-model image rules; first match wins. Unknown models: gpt-4o's tile rule. */
const OPENAI_IMAGE_RULES: ReadonlyArray<readonly [RegExp, TileRule | PatchRule]> = [
  [/^gpt-4o-mini/, { kind: 'tile', base: 2833, tile: 5667 }],
  [/^(gpt-4\.1-mini|gpt-5(\.\d+)?-mini)/, { kind: 'patch', multiplier: 1.62 }],
  [/^(gpt-4\.1-nano|gpt-5(\.\d+)?-nano)/, { kind: 'patch', multiplier: 2.46 }],
  [/^o4-mini/, { kind: 'patch', multiplier: 1.72 }],
  [/^gpt-5/, { kind: 'tile', base: 70, tile: 140 }],
  [/^(o1|o3)/, { kind: 'tile', base: 75, tile: 150 }],
  [/^computer-use/, { kind: 'tile', base: 65, tile: 129 }],
];
const DEFAULT_OPENAI_RULE: TileRule = { kind: 'tile', base: 85, tile: 170 };
const MAX_PATCHES = 1536;

/** Extracted text per PDF page, at the top of the documented 1,500–3,000 range. */
export const PDF_TEXT_TOKENS_PER_PAGE = 3000;
/** A PDF whose pages cannot be counted (a URL, a file id): Anthropic's 100-page request limit. */
export const PDF_UNKNOWN_PAGES = 100;
export const AUDIO_TOKENS_PER_SECOND = 10;
/** Audio of unknown encoding is timed as if it were 32 kbit/s, the low end of speech codecs. */
const AUDIO_MIN_BYTES_PER_SECOND = 4000;

export interface ImageRef {
  /** base64 data or a data: URL; undefined for a URL or file id. */
  data?: string;
  detail?: string;
}

export function imageTokens(family: AttachmentFamily, model: string, ref: ImageRef): number {
  const size = ref.data ? imageSize(base64Head(ref.data)) : null;
  if (family === 'anthropic')
    return HIGH_RES_CLAUDE.test(bareModel(model)) ? highResClaudeTokens(size) : anthropicImageTokens(size);
  if (family === 'gemini') return geminiImageTokens(model, size);
  return openAiImageTokens(model, size, ref.detail);
}

function geminiImageTokens(model: string, size: ImageSize | null): number {
  if (isGemini3(model)) return GEMINI3_IMAGE_TOKENS;
  // Unknown size: a 3,072 × 3,072 image, 16 tiles (a cap of our own: Gemini states none).
  if (!size) return 16 * GEMINI_TILE_TOKENS;
  if (size.width <= 384 && size.height <= 384) return GEMINI_TILE_TOKENS;
  return GEMINI_TILE_TOKENS * Math.ceil(size.width / 768) * Math.ceil(size.height / 768);
}

function anthropicImageTokens(size: ImageSize | null): number {
  if (!size) return Math.ceil(ANTHROPIC_MAX_PIXELS / ANTHROPIC_PIXELS_PER_TOKEN);
  const edge = Math.min(1, ANTHROPIC_MAX_EDGE / Math.max(size.width, size.height));
  const pixels = Math.min(size.width * edge * (size.height * edge), ANTHROPIC_MAX_PIXELS);
  return Math.ceil(pixels / ANTHROPIC_PIXELS_PER_TOKEN);
}

function highResClaudeTokens(size: ImageSize | null): number {
  if (!size) return Math.ceil(HIGH_RES_MAX_PIXELS / ANTHROPIC_PIXELS_PER_TOKEN);
  const edge = Math.min(1, HIGH_RES_MAX_EDGE / Math.max(size.width, size.height));
  const area = Math.min(1, Math.sqrt(HIGH_RES_MAX_PIXELS / (size.width * size.height)));
  const scale = Math.min(edge, area);
  const w = size.width * scale;
  const h = size.height * scale;
  const patches = Math.ceil(w / HIGH_RES_PATCH_PX) * Math.ceil(h / HIGH_RES_PATCH_PX);
  return Math.max(patches, Math.ceil((w * h) / ANTHROPIC_PIXELS_PER_TOKEN));
}

function openAiImageTokens(model: string, size: ImageSize | null, detail: string | undefined): number {
  const name = bareModel(model);
  const rule = OPENAI_IMAGE_RULES.find(([re]) => re.test(name))?.[1] ?? DEFAULT_OPENAI_RULE;
  if (rule.kind === 'patch') {
    const patches = size ? Math.ceil(size.width / 32) * Math.ceil(size.height / 32) : MAX_PATCHES;
    return Math.ceil(Math.min(patches, MAX_PATCHES) * rule.multiplier);
  }
  if (detail === 'low') return rule.base;
  // Worst case of the tile rule: 2,048 × 768 after scaling, 4 × 2 tiles.
  if (!size) return rule.base + 8 * rule.tile;
  let { width: w, height: h } = size;
  const fit = Math.min(1, 2048 / Math.max(w, h));
  w *= fit;
  h *= fit;
  const short = Math.min(768 / Math.min(w, h), 1);
  w *= short;
  h *= short;
  return rule.base + rule.tile * Math.ceil(w / 512) * Math.ceil(h / 512);
}

/** A PDF: its pages × (text + page image). `data` undefined = pages unknown. */
export function pdfTokens(family: AttachmentFamily, model: string, data: string | undefined): number {
  let pages = PDF_UNKNOWN_PAGES;
  if (data) {
    const comma = data.startsWith('data:') ? data.indexOf(',') : -1;
    pages =
      pdfPageCount(Buffer.from(comma >= 0 ? data.slice(comma + 1) : data, 'base64')) ?? PDF_UNKNOWN_PAGES;
  }
  if (family === 'gemini') return pages * (isGemini3(model) ? GEMINI3_PAGE_TOKENS : GEMINI_TILE_TOKENS);
  // A page image is at most what an image of unknown size costs.
  return pages * (PDF_TEXT_TOKENS_PER_PAGE + imageTokens(family, model, {}));
}

/** Tokens a text file may be per byte of it. A text file is billed by its text, and byte-level
 *  BPE (o200k_base, cl100k_base) and SentencePiece's byte fallback never put less than one UTF-8
 *  byte of the text in a token; but the file's bytes are not the text's UTF-8 bytes. In UTF-16 a
 *  character from U+0800 up is 2 bytes, in UTF-8 3: UTF-16 text of such characters is up to 1.5
 *  tokens a byte, and no Unicode encoding (UTF-8, -16, -32) makes more UTF-8 of a byte. Measured
 *  (o200k_base / cl100k_base, 2026-11-29, UTF-16LE with BOM decoded as UTF-16): random Yi
 *  syllables 1.491 / 1.487 a byte, CJK Extension A 1.474 / 1.479, random BMP from U+0800 1.162 /
 *  1.292, Chinese prose 0.351 / 0.560, English 0.106; a file read as latin-1 or windows-1252 at
 *  most 1.10 (random bytes, that code page's 3-byte punctuation). */
export const TEXT_FILE_TOKENS_PER_BYTE = 1.5;

/** An attached file of any type, inline (OpenAI `file_data`, Gemini `inlineData`): a PDF by its
 *  pages; any other file as a PDF of unknown pages or as text of its bytes, whichever is more: a
 *  4.95 MB text file counted as a 100-page PDF was 410,500 tokens on gpt-4.1 where 990,000 were
 *  billed (found by red16, 2026-11-29); one in UTF-16 counted at its bytes, 680,626, billed
 *  995,496 (test/integration/server-side-context-budget.test.ts). A compressed container (docx,
 *  xlsx: a zip) has no such bound (proxy/unsized-input.ts). */
export function fileTokens(family: AttachmentFamily, model: string, data: string | undefined): number {
  if (!data || isPdf(data)) return pdfTokens(family, model, data);
  return Math.max(
    pdfTokens(family, model, undefined),
    Math.ceil(base64Bytes(data) * TEXT_FILE_TOKENS_PER_BYTE),
  );
}

/** A PDF's header may stand anywhere in its first 1,024 bytes (PDF 1.7, annex H.3). */
const isPdf = (data: string): boolean => base64Head(data, 1024).includes('%PDF');

/** Audio by its duration: a WAV is timed at the slower of its header's byte rate and its sample
 *  rate × block size (a decoder plays the samples at the latter and never reads the former, which a
 *  client could set 1,000× high to have a minute counted as 0.06 s); other encodings at 32 kbit/s. */
export function audioTokens(data: string | undefined, seconds?: number): number {
  if (seconds !== undefined) return Math.ceil(seconds * AUDIO_TOKENS_PER_SECOND);
  if (!data) return AUDIO_TOKENS_PER_SECOND * 3600;
  const bytes = base64Bytes(data);
  const head = base64Head(data, 64);
  const wav =
    head.length >= 32 &&
    head.toString('latin1', 0, 4) === 'RIFF' &&
    head.toString('latin1', 8, 12) === 'WAVE';
  const played = wav && head.length >= 34 ? head.readUInt32LE(24) * head.readUInt16LE(32) : 0;
  const declared = wav ? head.readUInt32LE(28) : 0;
  const rate = wav
    ? Math.max(1, played > 0 && declared > 0 ? Math.min(played, declared) : played || declared)
    : AUDIO_MIN_BYTES_PER_SECOND;
  return Math.ceil((bytes / rate) * AUDIO_TOKENS_PER_SECOND);
}
