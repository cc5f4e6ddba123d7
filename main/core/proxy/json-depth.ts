// JSON nested thousands deep parses fine (V8's parser is iterative) but then overflows the stack
// of everything recursive after it (stringify, structuredClone, cache keys): a 500 with an empty
// body and no ledger record. The depth is bounded on the raw bytes, before anything parses them.
// The scan is cheap: outside strings it looks at each byte once; inside a string it jumps to the
// next quote with a native indexOf, and request bodies are mostly string content.

/** Far above any real request (OpenAI structured outputs allow 10 levels), far below the
 *  ~2,000 levels where JSON.stringify overflows the stack. */
export const MAX_JSON_DEPTH = 512;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True when the bytes hold arrays/objects nested deeper than `max` (bytes need not be valid JSON). */
export function jsonDeeperThan(bytes: Buffer, max = MAX_JSON_DEPTH): boolean {
  if (bytes.length <= max) return false; // each level takes at least one byte
  let depth = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      // Jump to the quote that closes this string: one preceded by an even run of backslashes.
      let end = bytes.indexOf(QUOTE, i + 1);
      while (end > 0) {
        let slashes = 0;
        while (bytes[end - 1 - slashes] === BACKSLASH) slashes++;
        if (slashes % 2 === 0) break;
        end = bytes.indexOf(QUOTE, end + 1);
      }
      if (end < 0) return false; // an unterminated string: JSON.parse will refuse it
      i = end;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}
