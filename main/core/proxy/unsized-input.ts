// Input a Gemini request brings whose size its body does not say, bounded only by the model's
// context window: a video or a document named by URI (a YouTube link, a Files API upload) is
// billed by its length — ~300 tokens a second of video at the default media resolution, 258 a
// page of up to 1,000 pages (ai.google.dev/gemini-api/docs/video-understanding and
// /document-processing, read 2026-11-29) — and so is an inline video, whose bytes say nothing of
// its duration. The input estimate counted any of them as a 100-page PDF, 25,800 tokens; a
// 30-minute video is 540,000. Images keep their own bound (meter/attachment-tokens.ts), as do
// inline audio and PDFs, whose length is read from their bytes.
// A `cachedContent` is the same: the cache's tokens join the input (billed at the cache-read
// rate, and counted toward a long-context threshold), and the body names it only; an 800,000-token
// cache billed $0.024253 on a $0.01 budget, reserved as the body's text (found by red16,
// 2026-11-29). Its creation (`POST /v1beta/cachedContents`, storage billed by the hour) is an
// unpriced endpoint already.
// A file named by id or URL elsewhere is the same (found by red16, 2026-11-29): an OpenAI
// `input_file` / chat `file` part with a `file_id` or `file_url`, a Claude `document` from the
// Files API or a URL. It was counted as a 100-page PDF (~410,000–460,000 tokens), but a text file is
// billed by its text, up to the window: 990,000 tokens on gpt-4.1 billed $1.98 on $1.50, 900,000
// on claude-sonnet-4-6 $2.70 on $2. Inline file data keeps its own bound (a PDF's pages, another
// file at 1.5 tokens a byte: meter/attachment-tokens.ts fileTokens), except a zip container (docx,
// xlsx, pptx), whose extracted text may be many times its compressed bytes.
import type { Endpoint } from '../../../shared/usage.js';
import { fileData, geminiParts, inlineData, mimeOf } from '../meter/gemini-parts.js';
import { base64Head } from '../meter/image-size.js';
import { textOf } from '../meter/unread-string.js';
import { field, isObject } from '../meter/usage-fields.js';

/** Whether a request body holds input whose length only the provider learns. */
export function bringsUnsizedInput(endpoint: Endpoint, body: unknown): boolean {
  if (!isObject(body)) return false;
  switch (endpoint) {
    case 'generate_content': {
      const cache = body.cachedContent ?? body.cached_content;
      return (cache !== undefined && cache !== null) || geminiParts(body).some(unsized);
    }
    case 'responses':
      // Message items' content, and function call outputs given as content parts.
      return items(body.input).some((item) => parts(item).some(fileByReference));
    case 'chat':
      return items(body.messages).some((msg) => parts(msg).some(fileByReference));
    case 'messages':
      return items(body.messages).some((msg) => parts(msg).some(documentByReference));
    default:
      return false;
  }
}

const items = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const parts = (item: unknown): unknown[] => [
  ...items(field(item, 'content')),
  ...items(field(item, 'output')),
];

/** An OpenAI file part (Responses `input_file`, chat `file`) named by id or URL, not carried; or
 *  carried as a compressed container (docx, xlsx, pptx: a zip), whose text its size does not bound. */
function fileByReference(part: unknown): boolean {
  const type = field(part, 'type');
  const file = type === 'input_file' ? part : type === 'file' ? field(part, 'file') : undefined;
  if (file === undefined) return false;
  const data = textOf(field(file, 'file_data'));
  if (data !== undefined) return isZip(data);
  return field(file, 'file_id') !== undefined || field(file, 'file_url') !== undefined;
}

const isZip = (data: string): boolean => base64Head(data, 4).toString('latin1', 0, 4) === 'PK\x03\x04';

/** A Claude document from the Files API or a URL, also inside a tool result. */
function documentByReference(block: unknown): boolean {
  const type = field(block, 'type');
  if (type === 'tool_result') return items(field(block, 'content')).some(documentByReference);
  if (type !== 'document') return false;
  const kind = field(field(block, 'source'), 'type');
  return kind === 'file' || kind === 'url';
}

function unsized(part: unknown): boolean {
  const byUri = fileData(part);
  const data = byUri ?? inlineData(part);
  if (data === undefined) return false;
  const mime = mimeOf(data);
  const kind = typeof mime === 'string' ? mime.toLowerCase() : '';
  if (kind.startsWith('image/')) return false;
  // By URI, anything but an image (a YouTube link needs no MIME type); inline, a video.
  return byUri !== undefined || kind.startsWith('video/');
}
