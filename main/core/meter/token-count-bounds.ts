// Which texts are counted at their UTF-8 bytes instead of tokenized (token-count.ts). On its own,
// importing nothing: the tokenizer thread runs isBoundOnly's own source (tokenizer-worker-source.ts).

/** Above this many characters a string is counted at its UTF-8 bytes (tokenUpperBound) instead of
 *  tokenized, so a huge body can't hold the event loop while the tokenizer thread counts it. It
 *  used to be 3 characters per token, which is no bound: random CJK, digits or punctuation run
 *  to a token per character or more, and a reservation made with it could let a budget be passed. */
export const TOKENIZE_MAX_CHARS = 200_000;

/** A run that the encodings' pre-tokenizer keeps as one piece (letters, punctuation or whitespace)
 *  this long. gpt-tokenizer's BPE is quadratic in a piece's length: 16,000 unspaced CJK characters
 *  took 2.3 s to count, 50,000 passed the thread's 10 s timeout — the event loop waiting all along,
 *  and the thread given up for good after. Real prose breaks such runs every few dozen characters. */
export const LONG_PIECE = 1024;

/**
 * `text` is longer than `maxChars`, or holds a run of `longPiece` characters of one class the
 * pre-tokenizer splits between, roughly: whitespace, punctuation, letters (and any other non-ASCII,
 * CJK punctuation aside), digits (split in threes: never long). A loop, not a regular expression:
 * `\p{L}` classes cost ~30 ns a character, a third of a budgeted big body's CPU. Leaning toward
 * "long" only costs a looser (still upper) bound. Self-contained: the tokenizer thread runs this
 * very function's source on the texts it decodes itself (tokenizer-worker-source.ts).
 */
export function isBoundOnly(text: string, maxChars: number, longPiece: number): boolean {
  if (text.length > maxChars) return true;
  if (text.length < longPiece) return false;
  let kind = -1;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let k = 2;
    if (c === 32 || (c >= 9 && c <= 13)) k = 0;
    else if (c < 128) {
      const l = c | 32;
      k = c >= 48 && c <= 57 ? 3 : l >= 97 && l <= 122 ? 2 : 1;
    } else if ((c >= 0x2000 && c <= 0x206f) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xff0f))
      k = 1;
    if (k !== kind || k === 3) {
      kind = k;
      run = 1;
    } else if (++run >= longPiece) return true;
  }
  return false;
}
