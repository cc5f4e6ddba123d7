// The model a chat stream's first chunk names, read off its bytes: OpenAI-shaped chunks give it as
// a flat top-level member near the start (`{"id":…,"object":…,"created":…,"model":"…"`), and
// knowing it before the reader's scan lets that chunk go with the run of output-only events
// instead of costing a JSON.parse of its own (a fifth of what metering the bench stream cost).

const LF = 0x0a;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
/** How far into the event the model may be looked for: the walk is bounded, whatever the event. */
const MAX_BYTES = 512;
const NON_ASCII = /[\x80-\xff]/;

function isWs(c: number): boolean {
  return c === SPACE || c === 0x09 || c === 0x0d || c === LF;
}

/** Model names seen, each one string of its own. */
const names = new Map<string, string>();

/** `raw` as a string of its own: a slice of the push's text is a V8 sliced string, which keeps its
 *  whole parent (the socket read the chunk came in, up to 64 kB) for as long as the meter keeps the
 *  model — the stream's whole life (issue 16: memory per open stream). One copy per name, reused. */
function own(raw: string): string {
  let name = names.get(raw);
  if (name === undefined) {
    if (names.size >= 256) names.clear();
    name = Buffer.from(raw, 'latin1').toString('latin1');
    names.set(name, name);
  }
  return name;
}

/** End of the JSON string whose opening quote is at `at`, or -1 past `end`. */
function stringEnd(text: string, at: number, end: number): number {
  for (let i = at + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i;
    if (c === BACKSLASH) i++;
  }
  return -1;
}

/**
 * The string value of the top-level `"model"` member of the SSE event text[from, to) (its bytes
 * read as latin1), or undefined whenever that is not plain to see: the event is not one `data: {`
 * line, a member before it holds an object or array, a key or the value has an escape, or it is
 * not within the first MAX_BYTES. Then the caller parses the event as before. A later duplicate
 * `"model"` key (JSON.parse keeps the last) is not looked for here: the reader's own scan stops at
 * any `model"` that does not spell the model it knows, and that event is parsed.
 */
export function leadingModel(text: string, from: number, to: number): string | undefined {
  if (!text.startsWith('data:', from)) return undefined;
  let i = from + (text.charCodeAt(from + 5) === SPACE ? 6 : 5);
  // One data line, then the blank line that ends the event.
  const lineEnd = text.indexOf('\n', i);
  if (lineEnd === -1 || lineEnd + 2 !== to || text.charCodeAt(lineEnd + 1) !== LF) return undefined;
  if (text.charCodeAt(i) !== OPEN_BRACE) return undefined;
  const end = Math.min(lineEnd, i + MAX_BYTES);
  i++;
  while (i < end) {
    while (i < end && isWs(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== QUOTE) return undefined;
    const keyEnd = stringEnd(text, i, end);
    if (keyEnd === -1) return undefined;
    const isModel = keyEnd - i === 6 && text.startsWith('model', i + 1);
    i = keyEnd + 1;
    while (i < end && isWs(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== COLON) return undefined;
    i++;
    while (i < end && isWs(text.charCodeAt(i))) i++;
    const c = text.charCodeAt(i);
    let valueEnd: number;
    if (c === QUOTE) {
      valueEnd = stringEnd(text, i, end);
      if (valueEnd === -1) return undefined;
      if (isModel) {
        const raw = text.slice(i + 1, valueEnd);
        let after = valueEnd + 1;
        while (after < lineEnd && isWs(text.charCodeAt(after))) after++;
        const next = text.charCodeAt(after);
        if (raw.includes('\\') || (next !== COMMA && next !== CLOSE_BRACE)) return undefined;
        // The bytes are UTF-8 read as latin1.
        return NON_ASCII.test(raw) ? Buffer.from(raw, 'latin1').toString('utf8') : own(raw);
      }
      valueEnd++;
    } else {
      if (isModel || c === OPEN_BRACE || c === OPEN_BRACKET) return undefined;
      // A number, true, false or null: none holds a comma or a brace.
      valueEnd = i;
      while (valueEnd < end) {
        const d = text.charCodeAt(valueEnd);
        if (d === COMMA || d === CLOSE_BRACE || isWs(d)) break;
        valueEnd++;
      }
    }
    i = valueEnd;
    while (i < end && isWs(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== COMMA) return undefined;
    i++;
  }
  return undefined;
}
