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
import type { Endpoint } from '../../../shared/usage.js';
import { fileData, geminiParts, inlineData, mimeOf } from '../meter/gemini-parts.js';
import { isObject } from '../meter/usage-fields.js';

/** Whether a Gemini generateContent body holds media whose length only the provider learns. */
export function bringsUnsizedInput(endpoint: Endpoint, body: unknown): boolean {
  if (endpoint !== 'generate_content' || !isObject(body)) return false;
  const cache = body.cachedContent ?? body.cached_content;
  return (cache !== undefined && cache !== null) || geminiParts(body).some(unsized);
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
