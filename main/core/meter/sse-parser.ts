// Incremental Server-Sent Events framing on raw bytes. Event boundaries (blank lines) are ASCII,
// so splitting on bytes is safe even when a chunk ends inside a multi-byte UTF-8 character:
// an event is only decoded once all of its bytes have arrived.

export interface SseEvent {
  /** The exact bytes of the event, blank-line terminator included (forwarded as is). */
  raw: Buffer;
  /** The `event:` field, if any. */
  event: string | undefined;
  /** The `data:` lines joined with `\n`, or undefined when the event has no data line. */
  data: string | undefined;
}

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

export interface SseFramer {
  /** Appends bytes; calls `onEvent` with each event they complete (a view of the returned bytes)
   *  and returns all of those events' bytes: the chunk itself when it held whole events only. */
  push(chunk: Buffer, onEvent: (raw: Buffer) => void): Buffer;
  /** As push, without the callbacks: `ends` receives the end offset of each completed event
   *  within the returned bytes (for callers that take the events as one run). */
  frame(chunk: Buffer, ends: number[]): Buffer;
  /** The upstream ended: the unterminated remainder, if any bytes are left. */
  flush(): Buffer | undefined;
}

export function createSseFramer(): SseFramer {
  // Bytes of the event in progress from earlier chunks: kept as a list and joined once, when the
  // event completes, so a large event arriving in many chunks is copied once, not once per chunk.
  let held: Buffer[] = [];
  let heldBytes = 0;
  /** No byte yet on the current line. */
  let lineEmpty = true;
  /** The previous byte was a CR ending a line (maybe the first half of CRLF), and whether that
   *  line was blank. A CR that ends a chunk is settled by the next byte. */
  let crPending = false;
  let crBlank = false;
  // Event end offsets within the current chunk; reused across pushes.
  const ends: number[] = [];

  /** Finds the event ends in `chunk` with native indexOf rather than a loop over every byte. */
  function scan(chunk: Buffer): void {
    const n = chunk.length;
    let nextLf = -2;
    let nextCr = -2;
    let i = 0;
    while (i < n) {
      if (crPending) {
        crPending = false;
        if (chunk[i] === LF) {
          if (crBlank) ends.push(i + 1);
          i++;
          continue;
        }
        // A bare CR ended the line; if it was blank the event ended just before this byte.
        if (crBlank) ends.push(i);
      }
      if (nextLf !== -1 && nextLf < i) nextLf = chunk.indexOf(LF, i);
      if (nextCr !== -1 && nextCr < i) nextCr = chunk.indexOf(CR, i);
      const t = nextLf === -1 ? nextCr : nextCr === -1 ? nextLf : Math.min(nextLf, nextCr);
      if (t === -1) {
        lineEmpty = false;
        return;
      }
      const blank = lineEmpty && t === i;
      lineEmpty = true;
      if (chunk[t] === CR) {
        crPending = true;
        crBlank = blank;
      } else if (blank) {
        ends.push(t + 1);
      }
      i = t + 1;
    }
  }

  /** The bytes of the events `chunk` completes; `ends` (scan's) become offsets within them. */
  function complete(chunk: Buffer): Buffer {
    ends.length = 0;
    scan(chunk);
    if (ends.length === 0) {
      // Copied: the caller may reuse its chunk buffer once push returns.
      if (chunk.length > 0) {
        held.push(Buffer.from(chunk));
        heldBytes += chunk.length;
      }
      return EMPTY;
    }
    const last = ends[ends.length - 1] as number;
    const head = last === chunk.length ? chunk : chunk.subarray(0, last);
    const block = heldBytes === 0 ? head : Buffer.concat([...held, head], heldBytes + last);
    if (heldBytes > 0) for (let k = 0; k < ends.length; k++) ends[k] = (ends[k] as number) + heldBytes;
    if (last < chunk.length) {
      held = [Buffer.from(chunk.subarray(last))];
      heldBytes = chunk.length - last;
    } else {
      held = [];
      heldBytes = 0;
    }
    return block;
  }

  return {
    push(chunk, onEvent) {
      const block = complete(chunk);
      if (ends.length === 1) {
        onEvent(block);
      } else {
        let start = 0;
        for (const end of ends) {
          onEvent(block.subarray(start, end));
          start = end;
        }
      }
      return block;
    },
    frame(chunk, out) {
      const block = complete(chunk);
      out.length = 0;
      for (const end of ends) out.push(end);
      return block;
    },
    flush() {
      const rest = heldBytes === 0 ? undefined : Buffer.concat(held, heldBytes);
      held = [];
      heldBytes = 0;
      lineEmpty = true;
      crPending = false;
      return rest;
    },
  };
}

export interface SseSplitter {
  /** Appends bytes and returns every event completed by them. */
  push(chunk: Buffer): SseEvent[];
  /** The upstream ended: returns the unterminated remainder as a last event, if any bytes are left. */
  flush(): SseEvent | undefined;
}

/** The framer with every event's fields read: for callers that want parsed events, not bytes. */
export function createSseSplitter(): SseSplitter {
  const framer = createSseFramer();
  return {
    push(chunk) {
      const events: SseEvent[] = [];
      framer.push(chunk, (raw) => events.push(parseEvent(raw)));
      return events;
    },
    flush() {
      const rest = framer.flush();
      return rest ? parseEvent(rest) : undefined;
    },
  };
}

/** Reads the `event:` and `data:` fields of one complete event (per the WHATWG SSE rules). */
export function parseEvent(raw: Buffer): SseEvent {
  let event: string | undefined;
  let data: string[] | undefined;
  for (const line of raw.toString('utf8').split(/\r\n|\r|\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') (data ??= []).push(value);
  }
  return { raw, event, data: data?.join('\n') };
}
