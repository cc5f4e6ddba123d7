// JSON.parse of a big body holds the event loop for its whole length (issue 16: 240–440 ms for
// 20 MB, every other request waiting). A worker thread would not help: handing the parsed object
// back is a structured clone whose deserialization on this thread costs about as much. So a big
// body is parsed here in pieces, in one pass: a container that fits in PIECE_BYTES goes through
// JSON.parse whole, a bigger one is walked member by member (json-scan), and between pieces the
// loop is handed back once this turn's time for all big bodies is spent (cpu-turns.ts). The
// result is what JSON.parse gives (repeated keys: the last value, in the first one's place;
// `__proto__` an own property), except that a string longer than UNREAD_STRING_BYTES inside the
// top-level members (messages, contents, tool results: nearly all of a big agent context) is
// checked but not decoded: it stays in the body's bytes as an UnreadString, so a request does not
// hold its body twice, and no single string, however long, is parsed in one go. Top-level strings
// (model, prompt, input…) are decoded.
import { UnreadString } from '../meter/unread-string.js';
import { cpuTurn } from './cpu-turns.js';
import { jsonDeeperThan, MAX_JSON_DEPTH } from './json-depth.js';
import {
  checkJsonString,
  containerEnd,
  JsonSyntaxError,
  readKey,
  skipSpace,
  stringEnd,
  valueEnd,
  type Member,
  type ObjectSpan,
} from './json-scan.js';

const PIECE_BYTES = 64 * 1024;
/** Strings at least this long, below the top level, are left unread (UnreadString). */
export const UNREAD_STRING_BYTES = 4 * 1024;
/** An unread string is checked in steps of this many bytes, the loop handed back between. */
const CHECK_STEP = 1024 * 1024;

export class JsonTooDeepError extends Error {}

export interface SlicedParse {
  json: unknown;
  /** The top-level object's members, when it was walked (for spliceMembers). */
  top?: ObjectSpan;
}

export async function parseJsonSliced(bytes: Buffer, maxDepth = MAX_JSON_DEPTH): Promise<SlicedParse> {
  // The loop's time is shared with every other big body's sliced work (cpu-turns.ts).
  const breathe = cpuTurn;
  const expect = (i: number, byte: number, what: string): void => {
    if (bytes[i] !== byte) throw new JsonSyntaxError(`Expected ${what} at position ${i}`);
  };
  let top: ObjectSpan | undefined;

  /** The value at `start` (inside `depth` containers) and the offset just past it. */
  const parse = async (start: number, depth: number): Promise<[unknown, number]> => {
    const c = bytes[start];
    const container = c === 0x7b || c === 0x5b;
    if (c === 0x22 && depth >= 2) {
      const end = stringEnd(bytes, start);
      if (end - start >= UNREAD_STRING_BYTES) {
        // The inside, between the quotes (stringEnd found the closing one unescaped).
        for (let at = start + 1; at < end - 1;) {
          await breathe();
          at = checkJsonString(bytes, at, Math.min(end - 1, at + CHECK_STEP));
        }
        return [new UnreadString(bytes, start, end), end];
      }
    }
    // A container whose strings are all short is parsed whole (a message without long content);
    // one holding a long string is walked, so the string can be left unread.
    const [end, longest] = container
      ? containerEnd(bytes, start, start + PIECE_BYTES)
      : [valueEnd(bytes, start), 0];
    if (end > 0 && (longest < UNREAD_STRING_BYTES || depth === 0)) {
      // Depth: this piece's own levels on top of the levels it sits in.
      if (container && jsonDeeperThan(bytes.subarray(start, end), maxDepth - depth))
        throw new JsonTooDeepError();
      await breathe();
      return [JSON.parse(bytes.toString('utf8', start, end)), end];
    }
    if (depth + 1 > maxDepth) throw new JsonTooDeepError();
    const close = c === 0x7b ? 0x7d : 0x5d;
    let i = skipSpace(bytes, start + 1);
    const arr: unknown[] = [];
    const obj: Record<string, unknown> = {};
    const members: Member[] = [];
    if (bytes[i] !== close)
      for (;;) {
        await breathe();
        if (c === 0x5b) {
          const [value, e] = await parse(i, depth + 1);
          arr.push(value);
          i = e;
        } else {
          expect(i, 0x22, 'a key');
          const keyEnd = stringEnd(bytes, i);
          const key = readKey(bytes, i, keyEnd);
          const colon = skipSpace(bytes, keyEnd);
          expect(colon, 0x3a, "':'");
          const valueStart = skipSpace(bytes, colon + 1);
          const [value, e] = await parse(valueStart, depth + 1);
          if (key === '__proto__')
            Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
          else obj[key] = value;
          members.push({ key, keyStart: i, valueStart, valueEnd: e });
          i = e;
        }
        i = skipSpace(bytes, i);
        if (bytes[i] === close) break;
        expect(i, 0x2c, `',' or '${String.fromCharCode(close)}'`);
        i = skipSpace(bytes, i + 1);
      }
    if (c === 0x5b) return [arr, i + 1];
    if (depth === 0) top = { open: start, close: i, members };
    return [obj, i + 1];
  };

  const start = skipSpace(bytes, 0);
  if (start >= bytes.length) throw new JsonSyntaxError('Unexpected end of JSON input');
  const [json, end] = await parse(start, 0);
  if (skipSpace(bytes, end) !== bytes.length)
    throw new JsonSyntaxError(`Unexpected non-whitespace character after JSON at position ${end}`);
  return top ? { json, top } : { json };
}
