// Reading Gemini's generateContent body: its parts and their media, in both spellings the API
// accepts (`inlineData` / `inline_data`, …). One reading for the input estimate
// (estimate-gemini.ts) and for what admit checks the body for (proxy/audio-input.ts,
// proxy/unsized-input.ts).
import { field, isObject } from './usage-fields.js';

const partsOf = (content: unknown): unknown[] => {
  const parts = field(content, 'parts');
  return Array.isArray(parts) ? parts : [];
};

/** The parts of every content (`contents` as an array, or one content object). */
export function geminiContentParts(body: Record<string, unknown>): unknown[] {
  const contents = Array.isArray(body.contents)
    ? body.contents
    : isObject(body.contents)
      ? [body.contents]
      : [];
  return contents.flatMap(partsOf);
}

/** The system instruction's parts, then every content's. */
export function geminiParts(body: Record<string, unknown>): unknown[] {
  return [...partsOf(body.systemInstruction ?? body.system_instruction), ...geminiContentParts(body)];
}

/** A part's inline media (base64 `data`). */
export const inlineData = (part: unknown): unknown => field(part, 'inlineData') ?? field(part, 'inline_data');
/** A part's media by URI (a Files API upload, a YouTube link). */
export const fileData = (part: unknown): unknown => field(part, 'fileData') ?? field(part, 'file_data');
/** The MIME type of either. */
export const mimeOf = (data: unknown): unknown => field(data, 'mimeType') ?? field(data, 'mime_type');
