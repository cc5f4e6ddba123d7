// A scanner over the bytes of JSON text, for the jobs that must not parse all of it at once:
// finding where each top-level member of a body lies (to splice a change into the client's own
// bytes) and cutting a big body into pieces that parse one at a time. Strings are skipped with a
// native indexOf, so its cost follows the number of JSON tokens, not of bytes (request bodies are
// mostly string content). Every structural byte is checked: text that is not JSON is refused.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export class JsonSyntaxError extends SyntaxError {}

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export function skipSpace(bytes: Buffer, i: number): number {
  while (isSpace(bytes[i])) i++;
  return i;
}

/** Offset just past the string that starts with the quote at `i`. */
export function stringEnd(bytes: Buffer, i: number): number {
  let end = bytes.indexOf(QUOTE, i + 1);
  while (end > 0) {
    let slashes = 0;
    while (bytes[end - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return end + 1;
    end = bytes.indexOf(QUOTE, end + 1);
  }
  throw new JsonSyntaxError(`Unterminated string at position ${i}`);
}

/** Offset just past the value that starts at `i` (its inside is not checked: JSON.parse does
 *  that), or -1 when a container or string runs past `limit` (a bounded look, for splitting). */
export function valueEnd(bytes: Buffer, i: number, limit = bytes.length): number {
  const c = bytes[i];
  if (c === QUOTE) {
    const end = stringEnd(bytes, i);
    return end > limit ? -1 : end;
  }
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    const stop = Math.min(limit, bytes.length);
    for (let j = i; j < stop; j++) {
      const b = bytes[j];
      if (b === QUOTE) j = stringEnd(bytes, j) - 1;
      else if (b === 0x7b || b === 0x5b) depth++;
      else if ((b === 0x7d || b === 0x5d) && --depth === 0) return j + 1 > limit ? -1 : j + 1;
    }
    if (stop < bytes.length) return -1;
    throw new JsonSyntaxError(`Unterminated ${c === 0x7b ? 'object' : 'array'} at position ${i}`);
  }
  // A number or a literal: up to the next delimiter.
  let j = i;
  while (j < bytes.length) {
    const b = bytes[j];
    if (b === 0x2c || b === 0x7d || b === 0x5d || isSpace(b)) break;
    j++;
  }
  if (j === i) throw new JsonSyntaxError(`Unexpected token at position ${i}`);
  return j;
}

/** As valueEnd for the container at `i`, with the length of the longest string inside it
 *  (-1, 0 when the container runs past `limit`). */
export function containerEnd(bytes: Buffer, i: number, limit: number): [number, number] {
  let depth = 0;
  let longest = 0;
  const stop = Math.min(limit, bytes.length);
  for (let j = i; j < stop; j++) {
    const b = bytes[j];
    if (b === QUOTE) {
      const end = stringEnd(bytes, j);
      if (end - j > longest) longest = end - j;
      j = end - 1;
    } else if (b === 0x7b || b === 0x5b) depth++;
    else if ((b === 0x7d || b === 0x5d) && --depth === 0) return j + 1 > limit ? [-1, 0] : [j + 1, longest];
  }
  if (stop < bytes.length) return [-1, 0];
  throw new JsonSyntaxError(`Unterminated ${bytes[i] === 0x7b ? 'object' : 'array'} at position ${i}`);
}

const ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);
const isHex = (b: number | undefined) =>
  b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));

/** Throws what JSON.parse would for the inside of a string literal, checked from `from` up to
 *  `to` (at most the closing quote): a raw control character or a bad escape. Returns where to
 *  go on from (past `to` when an escape straddles it). For strings left unread (UnreadString). */
export function checkJsonString(bytes: Buffer, from: number, to: number): number {
  let j = from;
  for (; j < to; j++) {
    const b = bytes[j]!;
    if (b < 0x20) throw new JsonSyntaxError(`Bad control character in string literal at position ${j}`);
    if (b !== BACKSLASH) continue;
    const e = bytes[++j];
    if (e === 0x75) {
      if (!(isHex(bytes[j + 1]) && isHex(bytes[j + 2]) && isHex(bytes[j + 3]) && isHex(bytes[j + 4])))
        throw new JsonSyntaxError(`Bad Unicode escape in string literal at position ${j}`);
      j += 4;
    } else if (e === undefined || !ESCAPES.has(e))
      throw new JsonSyntaxError(`Bad escaped character at position ${j}`);
  }
  return j;
}

/** The key of the string at [start, end): read as JSON, so `"stream\u005foptions"` is stream_options. */
export function readKey(bytes: Buffer, start: number, end: number): string {
  const raw = bytes.toString('utf8', start, end);
  return raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
}

export interface Member {
  key: string;
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

export interface ObjectSpan {
  open: number;
  /** Offset of the closing brace. */
  close: number;
  /** Every member in order, repeated keys included (JSON.parse keeps the last). */
  members: Member[];
}

/** The members of the object that starts at `open`. */
export function objectMembers(bytes: Buffer, open: number): ObjectSpan {
  const members: Member[] = [];
  let i = skipSpace(bytes, open + 1);
  if (bytes[i] === 0x7d) return { open, close: i, members };
  for (;;) {
    if (bytes[i] !== QUOTE) throw new JsonSyntaxError(`Expected a key at position ${i}`);
    const keyStart = i;
    const keyEnd = stringEnd(bytes, i);
    const key = readKey(bytes, keyStart, keyEnd);
    i = skipSpace(bytes, keyEnd);
    if (bytes[i] !== 0x3a) throw new JsonSyntaxError(`Expected ':' at position ${i}`);
    const valueStart = skipSpace(bytes, i + 1);
    const end = valueEnd(bytes, valueStart);
    members.push({ key, keyStart, valueStart, valueEnd: end });
    i = skipSpace(bytes, end);
    if (bytes[i] === 0x7d) return { open, close: i, members };
    if (bytes[i] !== 0x2c) throw new JsonSyntaxError(`Expected ',' or '}' at position ${i}`);
    i = skipSpace(bytes, i + 1);
  }
}

/** [start, end) of each element of the array that starts at `open`, and its closing bracket. */
export function arrayElements(
  bytes: Buffer,
  open: number,
): { close: number; elements: Array<[number, number]> } {
  const elements: Array<[number, number]> = [];
  let i = skipSpace(bytes, open + 1);
  if (bytes[i] === 0x5d) return { close: i, elements };
  for (;;) {
    const end = valueEnd(bytes, i);
    elements.push([i, end]);
    i = skipSpace(bytes, end);
    if (bytes[i] === 0x5d) return { close: i, elements };
    if (bytes[i] !== 0x2c) throw new JsonSyntaxError(`Expected ',' or ']' at position ${i}`);
    i = skipSpace(bytes, i + 1);
  }
}

/** The top-level object of a (valid JSON) body, or undefined when the body is not an object. */
export function topLevelObject(bytes: Buffer): ObjectSpan | undefined {
  const open = skipSpace(bytes, 0);
  if (bytes[open] !== 0x7b) return undefined;
  return objectMembers(bytes, open);
}
