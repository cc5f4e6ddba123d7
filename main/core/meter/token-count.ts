// Token counting for estimates: gpt-tokenizer for the OpenAI family, a character ratio for
// Anthropic (whose tokenizer is not public).
import { tokenizerThread, type OpenAiEncoding } from './tokenizer-thread.js';

export type { OpenAiEncoding } from './tokenizer-thread.js';

/** Starts loading the encodings off the event loop; resolves once they are loaded. */
export const startTokenizerThread = (): Promise<void> => tokenizerThread.start();

/** Counts handed to the process's tokenizer thread so far. */
export const tokenizerHandOvers = (): number => tokenizerThread.handOvers;

/** A big body is being counted with `encoding`: a sync count would wait for one of its texts. */
export const tokenizerLaneBusy = (encoding: OpenAiEncoding): boolean => tokenizerThread.laneBusy(encoding);

/** Above this many characters a string is counted at its UTF-8 bytes (tokenUpperBound) instead of
 *  tokenized, so a huge body can't hold the event loop while the tokenizer thread counts it. It
 *  used to be 3 characters per token, which is no bound: random CJK, digits or punctuation run
 *  to a token per character or more, and a reservation made with it could let a budget be passed. */
export const TOKENIZE_MAX_CHARS = 200_000;

/** o200k_base for gpt-4o / 4.1 / 4.5 / 5 / o-series and anything newer or unknown; cl100k_base
 *  for the older gpt-4, gpt-3.5 and the embeddings models. */
export function encodingForModel(model: string): OpenAiEncoding {
  const m = model.toLowerCase().replace(/^.*\//, '');
  if (/^gpt-4o|^gpt-4\.|^chatgpt-4o/.test(m)) return 'o200k_base';
  if (/^gpt-4|^gpt-3\.5|^gpt-35|^text-embedding-|^text-davinci|^davinci|^babbage/.test(m)) {
    return 'cl100k_base';
  }
  return 'o200k_base';
}

/** A run that the encodings' pre-tokenizer keeps as one piece (letters, punctuation or whitespace)
 *  this long. gpt-tokenizer's BPE is quadratic in a piece's length: 16,000 unspaced CJK characters
 *  took 2.3 s to count, 50,000 passed the thread's 10 s timeout — the event loop waiting all along,
 *  and the thread given up for good after. Real prose breaks such runs every few dozen characters. */
const LONG_PIECE = 1024;

/** Character classes the pre-tokenizer splits between, roughly: whitespace, punctuation, letters
 *  (and any other non-ASCII, CJK punctuation aside), digits (split in threes: never long). A loop,
 *  not a regular expression: `\p{L}` classes cost ~30 ns a character, a third of a budgeted big
 *  body's CPU. Leaning toward "long" only costs a looser (still upper) bound. */
function charClass(c: number): number {
  if (c === 32 || (c >= 9 && c <= 13)) return 0;
  if (c < 128) {
    if (c >= 48 && c <= 57) return 3;
    const l = c | 32;
    return l >= 97 && l <= 122 ? 2 : 1;
  }
  if ((c >= 0x2000 && c <= 0x206f) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xff0f)) return 1;
  return 2;
}

function hasLongPiece(text: string): boolean {
  let kind = -1;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const k = charClass(text.charCodeAt(i));
    if (k !== kind || k === 3) {
      kind = k;
      run = 1;
    } else if (++run >= LONG_PIECE) return true;
  }
  return false;
}

/** Texts counted at their bound, never tokenized: too long, or holding a piece BPE is slow on. */
function boundOnly(text: string): boolean {
  return text.length > TOKENIZE_MAX_CHARS || (text.length >= LONG_PIECE && hasLongPiece(text));
}

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
 *  the event loop serves other requests meanwhile (a big body's texts are seconds of counting). */
export async function countOpenAiTokensEach(
  texts: readonly string[],
  encoding: OpenAiEncoding,
  urgent = false,
): Promise<number[]> {
  const counts = texts.map((text) => (text.length === 0 ? 0 : boundOnly(text) ? tokenUpperBound(text) : -1));
  const asked = texts.filter((_, i) => counts[i] === -1);
  if (asked.length === 0) return counts;
  const counted = await tokenizerThread.countEachAsync(asked, encoding, urgent);
  for (let i = 0, k = 0; i < texts.length; i++)
    if (counts[i] === -1) counts[i] = counted?.[k++] ?? tokenUpperBound(texts[i]!);
  return counts;
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
