// Undo Shimmy's own `stream_options.include_usage` on a chat stream whose client did not ask for
// it: the client must see byte for byte what the provider would have sent without the option.
import { field, isObject } from './usage-fields.js';

/** The extra chunk include_usage adds: `choices: []` with a non-null `usage`. */
export function isUsageOnlyChunk(chunk: unknown): boolean {
  const choices = field(chunk, 'choices');
  return Array.isArray(choices) && choices.length === 0 && isObject(field(chunk, 'usage'));
}

const LF = 0x0a;
const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const NULL = Buffer.from('null');
/** `"key"` as bytes, per key: building it per event was a third of the scan's cost. */
const quotedKeys = new Map<string, Buffer>();

function isWs(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function skipWs(b: Uint8Array, i: number, end: number): number {
  while (i < end && isWs(b[i])) i++;
  return i;
}

function startsWith(b: Uint8Array, needle: Uint8Array, at: number, end: number): boolean {
  if (at + needle.length > end) return false;
  for (let k = 0; k < needle.length; k++) if (b[at + k] !== needle[k]) return false;
  return true;
}

/** The byte range [cutStart, cutEnd) to drop so that the JSON text in b[start, end) loses its
 *  top-level `"key":null` member (and the comma that separated it), or undefined if it has none.
 *  Works on UTF-8 bytes directly: every byte it looks for is ASCII, and no byte of a multi-byte
 *  character is. Scans string-aware so the same characters inside a string value or a nested
 *  object are never touched. */
export function topLevelNullFieldSpan(
  b: Uint8Array,
  start: number,
  end: number,
  key: string,
): [number, number] | undefined {
  let quotedKey = quotedKeys.get(key);
  if (!quotedKey) quotedKeys.set(key, (quotedKey = Buffer.from(JSON.stringify(key))));
  let depth = 0;
  // Index of the last top-level `{` or `,` outside strings: where the key's member begins.
  let memberStart = -1;
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c === QUOTE) {
      if (
        depth === 1 &&
        memberStart >= 0 &&
        skipWs(b, memberStart + 1, end) === i &&
        startsWith(b, quotedKey, i, end)
      ) {
        const afterKey = skipWs(b, i + quotedKey.length, end);
        if (afterKey < end && b[afterKey] === COLON) {
          const valueAt = skipWs(b, afterKey + 1, end);
          const afterValue = skipWs(b, valueAt + 4, end);
          const next = afterValue < end ? b[afterValue] : undefined;
          if (startsWith(b, NULL, valueAt, end) && (next === COMMA || next === CLOSE_BRACE)) {
            // `…,"usage":null` → drop from the separating comma to the end of `null`.
            if (b[memberStart] === COMMA) return [memberStart, valueAt + 4];
            // First member: `{"usage":null, …` → drop through the following comma and spaces.
            return [memberStart + 1, next === COMMA ? skipWs(b, afterValue + 1, end) : valueAt + 4];
          }
        }
      }
      // Skip the string: a backslash escapes the byte after it.
      for (i++; i < end && b[i] !== QUOTE; i++) if (b[i] === BACKSLASH) i++;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (depth === 1 && c === OPEN_BRACE) memberStart = i;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
    else if (c === COMMA && depth === 1) memberStart = i;
  }
  return undefined;
}

/** What include_usage adds to every chunk but the last: OpenAI writes it after `choices`. */
export const NULL_USAGE_MEMBER = ',"usage":null';

/**
 * Where the usual chunk's `,"usage":null` starts in the SSE event text[from, to) (bytes read as
 * latin1), or -1 for anything else, which then takes the string-aware scan. The usual chunk is
 * one `data: {…}` line whose last `,"usage":null` is followed up to the closing `}` by members
 * with flat values only: nothing but `}` after it (how it used to end), or `,"obfuscation":"…"}`
 * (OpenAI's streams since 2025, which made every chunk take the scan of its whole JSON). In valid
 * JSON that member is a top-level one: its `"` after a comma cannot be inside a string (there it
 * is escaped) and opens a key; no bracket stands between it and the text's last `}`, which
 * closes the top level.
 */
export function trailingNullUsageAt(text: string, from: number, to: number): number {
  const close = to - 3;
  if (
    close - from < 7 + NULL_USAGE_MEMBER.length ||
    text.charCodeAt(to - 1) !== LF ||
    text.charCodeAt(to - 2) !== LF ||
    text.charCodeAt(close) !== CLOSE_BRACE ||
    !text.startsWith('data:', from)
  )
    return -1;
  const open = from + (text.charCodeAt(from + 5) === SPACE ? 6 : 5);
  if (text.charCodeAt(open) !== OPEN_BRACE || text.indexOf('\n', open) !== to - 2) return -1;
  const at = text.lastIndexOf(NULL_USAGE_MEMBER, close);
  if (at <= open) return -1;
  let i = at + NULL_USAGE_MEMBER.length;
  const next = text.charCodeAt(i);
  if (next !== COMMA && next !== CLOSE_BRACE) return -1;
  for (; i < close; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string: a backslash escapes the character after it.
      for (i++; i < close && text.charCodeAt(i) !== QUOTE; i++) if (text.charCodeAt(i) === BACKSLASH) i++;
      if (i >= close) return -1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET || c === CLOSE_BRACE || c === CLOSE_BRACKET) return -1;
  }
  return at;
}

/** Removes `"key":null` (and the comma that separated it) from the top-level object of a JSON
 *  text, leaving every other byte untouched. Returns the text unchanged if absent. */
export function removeTopLevelNullField(json: string, key: string): string {
  const bytes = Buffer.from(json, 'utf8');
  const span = topLevelNullFieldSpan(bytes, 0, bytes.length, key);
  if (!span) return json;
  return bytes.toString('utf8', 0, span[0]) + bytes.toString('utf8', span[1]);
}
