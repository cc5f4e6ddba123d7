// Input estimate for Gemini's native generateContent body: `contents[].parts[]`, the system
// instruction and tool declarations. Google's tokenizer is not public; the OpenAI tokenizer that
// estimate.ts applies to the texts is within a few percent for English and code, and the
// provider's own count replaces the estimate once the answer arrives.
import { audioTokens, fileTokens, imageTokens } from './attachment-tokens.js';
import { textOf, UnreadString } from './unread-string.js';
import { fileData, geminiParts, inlineData, mimeOf } from './gemini-parts.js';
import { field } from './usage-fields.js';

/** Gemini's audio rate: 32 tokens a second (ai.google.dev/gemini-api/docs/tokens). */
const GEMINI_AUDIO_PER_SECOND_FACTOR = 32 / 10;

export interface TextTally {
  texts: Array<string | UnreadString>;
  tokens: number;
}

/** Images, PDFs and audio by their real size (attachment-tokens.ts); `model` picks the formula. */
export function tallyGemini(body: Record<string, unknown>, tally: TextTally, model = ''): void {
  tallyParts(geminiParts(body), tally, model);
  if (body.tools !== undefined) tally.texts.push(JSON.stringify(body.tools));
}

function tallyParts(parts: unknown[], tally: TextTally, model: string): void {
  for (const part of parts) {
    const text = field(part, 'text');
    if (typeof text === 'string' || text instanceof UnreadString) {
      tally.texts.push(text);
      continue;
    }
    const data = inlineData(part) ?? fileData(part);
    if (data !== undefined) {
      const mime = mimeOf(data);
      const b64 = textOf(field(data, 'data'));
      const kind = typeof mime === 'string' ? mime : '';
      if (kind.startsWith('image/')) tally.tokens += imageTokens('gemini', model, b64 ? { data: b64 } : {});
      else if (kind.startsWith('audio/'))
        tally.tokens += Math.ceil(audioTokens(b64) * GEMINI_AUDIO_PER_SECOND_FACTOR);
      else tally.tokens += fileTokens('gemini', model, b64);
    } else if (part !== undefined && part !== null) {
      tally.texts.push(JSON.stringify(part)); // function calls and responses: their JSON is an upper bound
    }
  }
}
