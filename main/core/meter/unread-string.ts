// A long string of a big request body, left in the body's bytes instead of decoded (issue 16: a
// 20 MB agent context parsed whole doubled what each request held for its whole life, and the
// strings are nearly all of it). Only the token estimate reads the text, one string at a time;
// everything that serializes the body (cache keys, tool schemas' JSON) gets it through toJSON.

export class UnreadString {
  // Private: object walks (Object.keys/entries) must not see the buffer behind it.
  readonly #bytes: Buffer;
  readonly #start: number;
  readonly #end: number;

  /** The JSON string literal at [start, end) of `bytes`, quotes included; already validated. */
  constructor(bytes: Buffer, start: number, end: number) {
    this.#bytes = bytes;
    this.#start = start;
    this.#end = end;
  }

  /** Bytes of its JSON text between the quotes: never fewer than the decoded string's UTF-8
   *  bytes (an escape is at least as long as what it stands for). */
  get byteLength(): number {
    return this.#end - this.#start - 2;
  }

  /** The bytes between the quotes, escapes undecoded (a view, not a copy). */
  get inner(): Buffer {
    return this.#bytes.subarray(this.#start + 1, this.#end - 1);
  }

  /** The string, decoded now and not kept. */
  get value(): string {
    const raw = this.#bytes.toString('utf8', this.#start, this.#end);
    return raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  }

  toJSON(): string {
    return this.value;
  }
}

/** A string value of a parsed body, decoded if it was left unread; undefined for anything else. */
export function textOf(x: unknown): string | undefined {
  if (typeof x === 'string') return x;
  return x instanceof UnreadString ? x.value : undefined;
}
