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

export interface SseSplitter {
  /** Appends bytes and returns every event completed by them. */
  push(chunk: Buffer): SseEvent[];
  /** The upstream ended: returns the unterminated remainder as a last event, if any bytes are left. */
  flush(): SseEvent | undefined;
}

export function createSseSplitter(): SseSplitter {
  // Bytes of the event in progress from earlier chunks: kept as a list and joined once, when the
  // event completes, so a large event arriving in many chunks is copied once, not once per chunk.
  let held: Buffer[] = [];
  /** Bytes seen on the current line, terminator excluded. */
  let lineLength = 0;
  /** The previous byte was a CR ending a line (maybe the first half of CRLF), and whether that
   *  line was blank. A CR that ends a chunk is settled by the next byte. */
  let crPending = false;
  let crBlank = false;

  function take(chunk: Buffer, start: number, end: number): SseEvent {
    const tail = chunk.subarray(start, end);
    const raw = held.length === 0 ? tail : Buffer.concat([...held, tail]);
    held = [];
    return parseEvent(raw);
  }

  return {
    push(chunk) {
      const events: SseEvent[] = [];
      let eventStart = 0;
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i];
        if (crPending) {
          crPending = false;
          if (b === LF) {
            if (crBlank) {
              events.push(take(chunk, eventStart, i + 1));
              eventStart = i + 1;
            }
            continue;
          }
          // A bare CR ended the line; if it was blank the event ended just before this byte.
          if (crBlank) {
            events.push(take(chunk, eventStart, i));
            eventStart = i;
          }
        }
        if (b === CR) {
          crPending = true;
          crBlank = lineLength === 0;
          lineLength = 0;
        } else if (b === LF) {
          if (lineLength === 0) {
            events.push(take(chunk, eventStart, i + 1));
            eventStart = i + 1;
          }
          lineLength = 0;
        } else {
          lineLength++;
        }
      }
      // Copied: the caller may reuse its chunk buffer once push returns.
      if (eventStart < chunk.length) held.push(Buffer.from(chunk.subarray(eventStart)));
      return events;
    },
    flush() {
      const rest = held.length === 0 ? undefined : Buffer.concat(held);
      held = [];
      lineLength = 0;
      crPending = false;
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
