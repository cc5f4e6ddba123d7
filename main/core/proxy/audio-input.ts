// Whether a request carries audio as input. Audio input tokens have a price of their own, far
// above text (gpt-audio $32 per 1M against $2.50; gemini-2.5-flash $1.00 against $0.30), and
// the input estimate counts a clip's tokens among the text's, so a reservation prices them at the
// audio rate where the request carries any (stages/admit.ts).
import type { Endpoint } from '../../../shared/usage.js';
import { fileData, geminiContentParts, inlineData, mimeOf } from '../meter/gemini-parts.js';
import { field, isObject } from '../meter/usage-fields.js';

const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

/** Chat Completions `input_audio` parts; Gemini `inlineData` / `fileData` parts of an audio type. */
export function carriesAudioInput(endpoint: Endpoint, body: unknown): boolean {
  if (!isObject(body)) return false;
  if (endpoint === 'chat' || endpoint === 'responses') {
    const items = endpoint === 'chat' ? body.messages : body.input;
    return list(items).some((m) => list(field(m, 'content')).some((p) => field(p, 'type') === 'input_audio'));
  }
  if (endpoint !== 'generate_content') return false;
  return geminiContentParts(body).some((p) => {
    const mime = mimeOf(inlineData(p) ?? fileData(p));
    return typeof mime === 'string' && mime.toLowerCase().startsWith('audio/');
  });
}
