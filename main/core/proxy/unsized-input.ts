// Input a Gemini request brings whose size its body does not say, bounded only by the model's
// context window: a video or a document named by URI (a YouTube link, a Files API upload) is
// billed by its length — ~300 tokens a second of video at the default media resolution, 258 a
// page of up to 1,000 pages (ai.google.dev/gemini-api/docs/video-understanding and
// /document-processing, read 2026-11-29) — and so is an inline video, whose bytes say nothing of
// its duration. The input estimate counted any of them as a 100-page PDF, 25,800 tokens; a
// 30-minute video is 540,000. Images keep their own bound (meter/attachment-tokens.ts), as do
// inline audio and PDFs, whose length is read from their bytes.
import type { Endpoint } from '../../../shared/usage.js';
import { positiveInt } from '../limits/output-limit-field.js';
import { fileData, geminiParts, inlineData, mimeOf } from '../meter/gemini-parts.js';
import { field, isObject } from '../meter/usage-fields.js';

/** Whether a Gemini generateContent body holds media whose length only the provider learns. */
export function bringsUnsizedInput(endpoint: Endpoint, body: unknown): boolean {
  if (endpoint !== 'generate_content' || !isObject(body)) return false;
  return geminiParts(body).some(unsized);
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

/**
 * Input an Anthropic request's web fetch tools may bring in: the fetched pages and PDFs are billed
 * as input ("no additional charges beyond standard token costs",
 * docs.claude.com/en/docs/agents-and-tools/tool-use/web-fetch-tool, read 2026-11-29), bounded per
 * tool by `max_uses` × `max_content_tokens` when it names both, otherwise only by the context
 * window ('window'). Five requests fetching a 150,000-token document billed $2.26 on a $0.10
 * budget (test/integration/server-tool-content-budget.test.ts, red14).
 */
export function fetchedInput(endpoint: Endpoint, body: unknown): number | 'window' {
  if (endpoint !== 'messages' || !isObject(body) || !Array.isArray(body.tools)) return 0;
  let tokens = 0;
  for (const t of body.tools) {
    const type = field(t, 'type');
    if (typeof type !== 'string' || !type.startsWith('web_fetch_')) continue;
    const uses = positiveInt(field(t, 'max_uses'));
    const each = positiveInt(field(t, 'max_content_tokens'));
    if (uses === undefined || each === undefined) return 'window';
    tokens += uses * each;
  }
  return tokens;
}
