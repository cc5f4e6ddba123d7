// The `data:` field of one framed SSE event, found on the bytes so that only the data is decoded,
// and with its byte range when it is a single line (so an edit can splice the event's bytes).

export interface SseData {
  /** The `data:` lines joined with `\n` (as parseEvent reads them). */
  text: string;
  /** Byte range of the value within the event when there is exactly one data line, else -1. */
  start: number;
  end: number;
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

/** `data` as the whole field name of the line [from, to). */
function isDataLine(raw: Buffer, from: number, to: number): boolean {
  return (
    to - from >= 4 &&
    raw[from] === 0x64 &&
    raw[from + 1] === 0x61 &&
    raw[from + 2] === 0x74 &&
    raw[from + 3] === 0x61 &&
    (to - from === 4 || raw[from + 4] === COLON)
  );
}

/** The event's data, or undefined when it has no data line. Same result as parseEvent(raw).data. */
export function readSseData(raw: Buffer): SseData | undefined {
  const hasCr = raw.indexOf(CR) !== -1;
  const n = raw.length;
  let first = -1;
  let firstEnd = -1;
  let more: string[] | undefined;
  let from = 0;
  while (from < n) {
    let to: number;
    let next: number;
    if (!hasCr) {
      to = raw.indexOf(LF, from);
      if (to === -1) to = n;
      next = to + 1;
    } else {
      to = from;
      while (to < n && raw[to] !== LF && raw[to] !== CR) to++;
      next = raw[to] === CR && raw[to + 1] === LF ? to + 2 : to + 1;
    }
    if (isDataLine(raw, from, to)) {
      let v = Math.min(from + 5, to);
      if (v < to && raw[v] === SPACE) v++;
      if (first === -1) {
        first = v;
        firstEnd = to;
      } else {
        (more ??= [raw.toString('utf8', first, firstEnd)]).push(raw.toString('utf8', v, to));
      }
    }
    from = next;
  }
  if (first === -1) return undefined;
  if (more) return { text: more.join('\n'), start: -1, end: -1 };
  return { text: raw.toString('utf8', first, firstEnd), start: first, end: firstEnd };
}
