// Input estimate for Gemini's native generateContent body: `contents[].parts[]`, the system
// instruction and tool declarations. Google's tokenizer is not public; the OpenAI tokenizer that
// estimate.ts applies to the texts is within a few percent for English and code, and the
// provider's own count replaces the estimate once the answer arrives.
import { field, isObject } from './usage-fields.js';

/** Gemini bills an inline image as 258 tokens (up to 384 px a side; larger ones in 768 px tiles
 *  of 258 each) — ai.google.dev/gemini-api/docs/tokens, checked 2026-11. */
const GEMINI_IMAGE_TOKENS = 258;
/** Other inline data (PDF pages at 258 each, audio at 32/s, video at 263/s): an upper-bound
 *  guess when the size is unknown, as for the other families. */
const GEMINI_FILE_TOKENS = 3000;

export interface TextTally {
  texts: string[];
  tokens: number;
}

export function tallyGemini(body: Record<string, unknown>, tally: TextTally): void {
  tallyParts(field(body.systemInstruction ?? body.system_instruction, 'parts'), tally);
  const contents = Array.isArray(body.contents)
    ? body.contents
    : isObject(body.contents)
      ? [body.contents]
      : [];
  for (const content of contents) tallyParts(field(content, 'parts'), tally);
  if (body.tools !== undefined) tally.texts.push(JSON.stringify(body.tools));
}

function tallyParts(parts: unknown, tally: TextTally): void {
  if (!Array.isArray(parts)) return;
  for (const part of parts) {
    const text = field(part, 'text');
    if (typeof text === 'string') {
      tally.texts.push(text);
      continue;
    }
    const data =
      field(part, 'inlineData') ??
      field(part, 'inline_data') ??
      field(part, 'fileData') ??
      field(part, 'file_data');
    if (data !== undefined) {
      const mime = field(data, 'mimeType') ?? field(data, 'mime_type');
      tally.tokens +=
        typeof mime === 'string' && mime.startsWith('image/') ? GEMINI_IMAGE_TOKENS : GEMINI_FILE_TOKENS;
    } else if (part !== undefined && part !== null) {
      tally.texts.push(JSON.stringify(part)); // function calls and responses: their JSON is an upper bound
    }
  }
}

/** `generationConfig.maxOutputTokens` × `candidateCount`. */
export function geminiMaxOutputTokens(body: Record<string, unknown>): number | undefined {
  const config = body.generationConfig ?? body.generation_config;
  const cap = field(config, 'maxOutputTokens') ?? field(config, 'max_output_tokens');
  if (typeof cap !== 'number' || !Number.isInteger(cap) || cap <= 0) return undefined;
  const n = field(config, 'candidateCount') ?? field(config, 'candidate_count');
  return cap * (typeof n === 'number' && Number.isInteger(n) && n > 1 ? n : 1);
}
