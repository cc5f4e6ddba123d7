// The tokenizer thread reads an encoding's ranks from gpt-tokenizer's own .tiktoken file, not its
// bpeRanks module: compiling that 2.4 MB array literal took ~13 MB of the compiler's malloc'd
// memory, which the thread's malloc arena kept for good (~16 MB of RSS, issue 16). Importing
// nothing: the thread runs this function's own source (tokenizer-worker-source.ts).

/**
 * The ranks in the bpeRanks module's form from a .tiktoken file's text (read as latin1): each line
 * is a token's bytes in base64 and its rank; a token is a string when its bytes are UTF-8 that
 * TextDecoder gives back unchanged (it drops a leading BOM), else its bytes as numbers.
 */
export function tiktokenRanks(text: string): Array<string | number[]> {
  const utf8 = new TextDecoder();
  const ranks: Array<string | number[]> = [];
  for (let at = 0; at < text.length;) {
    const space = text.indexOf(' ', at);
    let end = text.indexOf('\n', space);
    if (end < 0) end = text.length;
    const bytes = Buffer.from(text.slice(at, space), 'base64');
    const asText = utf8.decode(bytes);
    ranks[Number(text.slice(space + 1, end))] =
      Buffer.byteLength(asText) === bytes.length && Buffer.from(asText).equals(bytes)
        ? asText
        : Array.from(bytes);
    at = end + 1;
  }
  return ranks;
}
