// Token counting for estimates: gpt-tokenizer for the OpenAI family, a character ratio for
// Anthropic (whose tokenizer is not public).
import { createRequire } from 'node:module';

// The encodings are ~33 MB of heap and most of a second to load: loaded on first use, which many
// runs never reach (no budget and no TPM limit means nothing is tokenized). A synchronous require
// keeps counting synchronous.
type Counter = (text: string, options: { disallowedSpecial: Set<string> }) => number;
const requireEncoding = createRequire(import.meta.url);
const counters = new Map<OpenAiEncoding, Counter>();
function counter(encoding: OpenAiEncoding): Counter {
  let c = counters.get(encoding);
  if (!c) {
    c = (requireEncoding(`gpt-tokenizer/encoding/${encoding}`) as { countTokens: Counter }).countTokens;
    counters.set(encoding, c);
  }
  return c;
}

export type OpenAiEncoding = 'o200k_base' | 'cl100k_base';

/** Text that merely looks like a special token (`<|endoftext|>`) is counted as plain text. */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** Above this many characters a string is estimated at 3 characters per token (upper-leaning:
 *  English averages ~4) instead of tokenized, so a huge body can't stall the event loop. */
const TOKENIZE_MAX_CHARS = 200_000;

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

export function countOpenAiTokens(text: string, encoding: OpenAiEncoding): number {
  if (text.length === 0) return 0;
  if (text.length > TOKENIZE_MAX_CHARS) return Math.ceil(text.length / 3);
  return counter(encoding)(text, PLAIN_TEXT);
}

/** Anthropic publishes no tokenizer; ~3.5 characters per token is an upper-leaning estimate for
 *  English prose and code (real Claude tokens average closer to 4 characters). */
export const ANTHROPIC_CHARS_PER_TOKEN = 3.5;

export function anthropicTokensForChars(chars: number): number {
  return Math.ceil(chars / ANTHROPIC_CHARS_PER_TOKEN);
}
