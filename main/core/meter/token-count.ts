// Token counting for estimates: gpt-tokenizer for the OpenAI family, a character ratio for
// Anthropic (whose tokenizer is not public).
import { isBoundOnly, LONG_PIECE, TOKENIZE_MAX_CHARS } from './token-count-bounds.js';
import { tokenizerThread, type OpenAiEncoding } from './tokenizer-thread.js';
import { UnreadString } from './unread-string.js';
import { bareModel } from '../route/bare-model.js';

export { TOKENIZE_MAX_CHARS } from './token-count-bounds.js';

export type { OpenAiEncoding } from './tokenizer-thread.js';

/** Starts loading the encodings off the event loop; resolves once they are loaded. */
export const startTokenizerThread = (): Promise<void> => tokenizerThread.start();

/** Counts handed to the process's tokenizer thread so far. */
export const tokenizerHandOvers = (): number => tokenizerThread.handOvers;

/** A big body is being counted with `encoding`: a sync count would wait for one of its texts. */
export const tokenizerLaneBusy = (encoding: OpenAiEncoding): boolean => tokenizerThread.laneBusy(encoding);

/** o200k_base for gpt-4o / 4.1 / 4.5 / 5 / o-series and anything newer or unknown; cl100k_base
 *  for the older gpt-4, gpt-3.5 and the embeddings models. */
export function encodingForModel(model: string): OpenAiEncoding {
  const m = bareModel(model);
  if (/^gpt-4o|^gpt-4\.|^chatgpt-4o/.test(m)) return 'o200k_base';
  if (/^gpt-4|^gpt-3\.5|^gpt-35|^text-embedding-|^text-davinci|^davinci|^babbage/.test(m)) {
    return 'cl100k_base';
  }
  return 'o200k_base';
}

/** Texts counted at their bound, never tokenized: too long, or holding a piece BPE is slow on. */
const boundOnly = (text: string): boolean => isBoundOnly(text, TOKENIZE_MAX_CHARS, LONG_PIECE);

export function countOpenAiTokens(text: string, encoding: OpenAiEncoding): number {
  if (text.length === 0) return 0;
  if (boundOnly(text)) return tokenUpperBound(text);
  return tokenizerThread.count(text, encoding) ?? tokenUpperBound(text);
}

/** The sum of countOpenAiTokens over `texts`, the tokenized ones handed to the tokenizer thread
 *  together: a stream's deltas are counted hundreds at a time, and one wait per delta cost more
 *  than relaying it. */
export function countOpenAiTokensSum(texts: readonly string[], encoding: OpenAiEncoding): number {
  let sum = 0;
  const batch: string[] = [];
  for (const text of texts) {
    if (text.length === 0) continue;
    if (boundOnly(text)) sum += tokenUpperBound(text);
    else batch.push(text);
  }
  if (batch.length === 0) return sum;
  const counted = tokenizerThread.countEach(batch, encoding);
  if (counted !== null) return sum + counted;
  // Not loaded yet (each gets its bound), or more than the shared buffer holds (each on its own).
  for (const text of batch) sum += tokenizerThread.count(text, encoding) ?? tokenUpperBound(text);
  return sum;
}

/** countOpenAiTokens of each text, those tokenized counted on the tokenizer thread's async lane:
 *  the event loop serves other requests meanwhile (a big body's texts are seconds of counting). A
 *  text left in a big body's bytes (UnreadString) goes to the thread as those bytes, decoded and
 *  bounded there: decoding 20 MB of texts here made 20 MB of strings per body for the heap to grow
 *  by and collect (issue 16: the budgeted peak RSS), and the bound's scan was main-thread CPU. */
export async function countOpenAiTokensEach(
  texts: ReadonlyArray<string | UnreadString>,
  encoding: OpenAiEncoding,
  urgent = false,
): Promise<number[]> {
  const counts = texts.map((t) =>
    t instanceof UnreadString ? -1 : t.length === 0 ? 0 : boundOnly(t) ? tokenUpperBound(t) : -1,
  );
  const asked = texts
    .filter((_, i) => counts[i] === -1)
    .map((t) => (t instanceof UnreadString ? { json: t.inner } : t));
  if (asked.length === 0) return counts;
  const counted = await tokenizerThread.countEachAsync(asked, encoding, urgent);
  for (let i = 0, k = 0; i < texts.length; i++)
    if (counts[i] === -1) counts[i] = counted?.[k++] ?? upperBoundOf(texts[i]!);
  return counts;
}

/** tokenUpperBound without decoding a text left in the body's bytes: its JSON text's length is
 *  never below its UTF-8 bytes (an escape is at least as long as what it stands for). Decoding
 *  each one here while the encodings loaded was 20 MB of strings and ~160 ms of a 20 MB body. */
function upperBoundOf(t: string | UnreadString): number {
  return t instanceof UnreadString ? t.byteLength : tokenUpperBound(t);
}

/** What a request is counted at while the encodings load (tokenizer-thread.ts): its UTF-8 bytes.
 *  o200k_base and cl100k_base are byte-level BPE, so every token stands for at least one byte of
 *  the text (special-token look-alikes are plain text here), and a reservation made with this is
 *  never below the true count — a budget can only be kept too strictly, never overshot. */
export function tokenUpperBound(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Anthropic publishes no tokenizer, and ~3.5 characters per token was 14% off for English prose
 *  (issue 11). Claude's tokenizer splits the same text into more tokens than GPT-4o's o200k_base:
 *  +16% for English prose, +21% for math, +30% for Python code, measured on the same inputs
 *  through both APIs' usage counts (L. Gupta, "Hidden costs in AI deployment: why Claude models
 *  may be 20-30% more expensive than GPT", VentureBeat, 2025-05). So input is counted with
 *  o200k_base and scaled by the factor of its kind, leaning high. The stream output estimate still
 *  uses the character ratio (it sees text in small deltas). */
export const ANTHROPIC_CHARS_PER_TOKEN = 3.5;
export const CLAUDE_PER_O200K_PROSE = 1.16;
export const CLAUDE_PER_O200K_CODE = 1.3;

/** Code, JSON (tool schemas, tool inputs) and markup: many symbols among the characters. */
const SYMBOLS = /[{}[\]()<>;=:"'`\\|&*#$_/+-]/g;
const CODE_SYMBOL_SHARE = 0.08;

export function anthropicTokensForText(text: string): number {
  return text.length === 0 ? 0 : anthropicTokensOfCount(text, countOpenAiTokens(text, 'o200k_base'));
}

/** Claude's tokens for `text`, given its o200k_base count (countOpenAiTokens). */
export function anthropicTokensOfCount(text: string, o200k: number): number {
  if (text.length === 0) return 0;
  const sample = text.length > 4096 ? text.slice(0, 4096) : text;
  const code = (sample.match(SYMBOLS)?.length ?? 0) / sample.length > CODE_SYMBOL_SHARE;
  return Math.ceil(o200k * (code ? CLAUDE_PER_O200K_CODE : CLAUDE_PER_O200K_PROSE));
}

export function anthropicTokensForChars(chars: number): number {
  return Math.ceil(chars / ANTHROPIC_CHARS_PER_TOKEN);
}
