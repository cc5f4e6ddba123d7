// upstream: one pooled keep-alive client (undici) for every provider, with the configured
// timeouts. Failures are classified so the proxy can answer 502 (unreachable) or 504 (timeout).
//
// Why undici's dispatch API and not `request()`: `request()` wraps every answer in a Readable stream
// and an AbortSignal listener, which cost the proxy a tenth of its CPU per request in `npm run bench`.
// Here the body is handed over chunk by chunk through a callback, with back-pressure by pause/resume.
import type { Dispatcher } from 'undici';
// The files Shimmy uses, not undici's index: the index loads fetch, WebSocket, the cache and
// mock layers too, ~470 kB more to compile before the first answer (issue 16). Same classes.
import Agent from 'undici/lib/dispatcher/agent.js';
import errors from 'undici/lib/core/errors.js';
import undiciUtil from 'undici/lib/core/util.js';
import { inTurns } from '../proxy/copy-turns.js';

export interface UpstreamRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** Pieces are sent one after the other (a spliced body, never joined into one copy). */
  body: Buffer | readonly Buffer[] | null;
  signal: CancelSignal;
  timeoutMs: number;
  /** Called when the request is being written on a connected socket: from here on the provider
   *  may bill it. A connect error or a cancel before this point means it never left. */
  onDispatched?: () => void;
}

/** The part of a cancellation the client needs: whether it happened, and a hook for when it does. */
export interface CancelSignal {
  readonly cancelled: boolean;
  /** Calls `fn` once on cancel (at once if already cancelled); returns a function that unhooks it. */
  onCancel(fn: () => void): () => void;
}

export interface UpstreamResponse {
  status: number;
  /** The answer's headers as they came, name, value, name, value…: names lower-cased, values as
   *  latin1 strings (the bytes as sent, which is how node:http writes them back out). The relay
   *  writes the client's headers from this list in one pass (`writeHead` takes it as it is). */
  rawHeaders: readonly string[];
  /** The same headers as an object (a repeated name as an array), built on first read: only some
   *  answers need it (a plan's rate windows, a cached copy), and every answer paid for it. */
  readonly headers: Record<string, string | string[] | undefined>;
  body: UpstreamBody;
}

class Answer implements UpstreamResponse {
  private parsed: Record<string, string | string[] | undefined> | null = null;
  constructor(
    readonly status: number,
    readonly rawHeaders: readonly string[],
    readonly body: UpstreamBody,
  ) {}
  get headers(): Record<string, string | string[] | undefined> {
    return (this.parsed ??= headersObject(this.rawHeaders));
  }
}

/** A header list (name, value, …) as an object, a repeated name's values as an array. */
export function headersObject(list: readonly string[]): Record<string, string | string[] | undefined> {
  return undiciUtil.parseHeaders(list);
}

/** A header's value in `rawHeaders` (`name` lower-case), the first if it is repeated. */
export function rawHeader(rawHeaders: readonly string[], name: string): string | undefined {
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i] === name) return rawHeaders[i + 1];
  return undefined;
}

export interface UpstreamBody {
  /**
   * Hands the body to `onChunk` in order as it arrives (what arrived before the call first, at
   * once); resolves when the body ends, rejects when it fails or is cancelled. Bytes that arrive
   * together come as one chunk (see ResponseHandler). `onChunk` returning false pauses the
   * upstream until `resume()`. Call once.
   */
  read(onChunk: (chunk: Buffer) => boolean): Promise<void>;
  resume(): void;
  /** Drops the rest of the answer: the upstream request is aborted. */
  cancel(): void;
}

/** Drops an answer nobody will read. */
export function discardBody(res: UpstreamResponse): void {
  res.body.cancel();
}

export type UpstreamClient = (req: UpstreamRequest) => Promise<UpstreamResponse>;

export type UpstreamFailure = 'timeout' | 'unreachable' | 'aborted';

export function classifyUpstreamError(err: unknown): UpstreamFailure {
  if (err instanceof errors.RequestAbortedError || (err as Error)?.name === 'AbortError') return 'aborted';
  if (
    err instanceof errors.HeadersTimeoutError ||
    err instanceof errors.BodyTimeoutError ||
    err instanceof errors.ConnectTimeoutError
  ) {
    return 'timeout';
  }
  return 'unreachable';
}

/** The provider held the request without answering until the timeout: it has it, may still be
 *  working on it and may bill it. (A connect timeout never reached it.) */
export function heldByProvider(err: unknown): boolean {
  return err instanceof errors.HeadersTimeoutError;
}

/** A readable cause for error messages and logs: `ECONNREFUSED 127.0.0.1:9`, `headers timeout`. */
export function describeUpstreamError(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  return e?.cause?.code ?? e?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

/** `https://api.example.com/v1/x?y` → origin `https://api.example.com`, path `/v1/x?y`. */
export function splitUrl(url: string): { origin: string; path: string } {
  const slash = url.indexOf('/', url.indexOf('://') + 3);
  return slash < 0 ? { origin: url, path: '/' } : { origin: url.slice(0, slash), path: url.slice(slash) };
}

/** Connections per provider origin unless settings say otherwise. A stream holds its connection for
 *  its whole answer (minutes, for an agent), so a small cap queues requests the provider would
 *  take at once: 128 made 1,000 parallel slow streams wait up to 40 s for a first byte (issue 16).
 *  1,024 matches the server's own cap on client connections, the most that can be in flight. */
export const DEFAULT_UPSTREAM_CONNECTIONS = 1024;

/** Spliced bodies below this are joined into one buffer before they are sent (see the client). */
const JOIN_BELOW_BYTES = 1 << 20;
const totalLength = (pieces: readonly Buffer[]) => pieces.reduce((n, p) => n + p.length, 0);

/** The pieces in one buffer of its own, not a slice of Node's shared 8 kB pool (Buffer.concat):
 *  undici holds the body until the answer ends, and a pooled slice pins its whole slab that long
 *  (issue 16: ~1.5 kB per open stream). */
function joinOwn(pieces: readonly Buffer[], length: number): Buffer {
  const out = Buffer.allocUnsafeSlow(length);
  let at = 0;
  for (const p of pieces) at += p.copy(out, at);
  return out;
}

export interface UpstreamClientOptions {
  /** Most open connections to one origin (settings.upstreamConnections); more requests queue. */
  connectionsPerOrigin?: number;
}

export function createUpstreamClient(opts: UpstreamClientOptions = {}): {
  client: UpstreamClient;
  close(): Promise<void>;
} {
  const connections = opts.connectionsPerOrigin ?? DEFAULT_UPSTREAM_CONNECTIONS;
  const agent = new Agent({ keepAliveTimeout: 30_000, connections, pipelining: 1 });
  const client: UpstreamClient = (req) =>
    new Promise((resolve, reject) => {
      const { origin, path } = splitUrl(req.url);
      // A big body, spliced or not, is written a turn's budget at a time (copy-turns.ts, inTurns).
      const pieces = Array.isArray(req.body)
        ? (req.body as readonly Buffer[])
        : req.body && req.body.length >= JOIN_BELOW_BYTES
          ? [req.body as Buffer]
          : undefined;
      const length = pieces ? totalLength(pieces) : 0;
      // undici sends an iterable body through an async iterator, a write and a turn of the event
      // loop per piece: for the small bodies nearly every request has, that cost streaming requests
      // (all spliced, for stream_options) a third of their throughput. Only a big body needs its
      // copy avoided.
      const asPieces = pieces !== undefined && length >= JOIN_BELOW_BYTES;
      agent.dispatch(
        {
          origin,
          path,
          method: req.method as Dispatcher.HttpMethod,
          // undici sends an iterable body as it is, with this length (else it would be chunked).
          headers: asPieces ? { ...req.headers, 'content-length': String(length) } : req.headers,
          body: (asPieces ? inTurns(pieces) : pieces ? joinOwn(pieces, length) : req.body) as Buffer | null,
          headersTimeout: req.timeoutMs,
          bodyTimeout: req.timeoutMs,
        },
        new ResponseHandler(req.signal, resolve, reject, req.onDispatched),
      );
    });
  return { client, close: () => agent.close() };
}

class AbortError extends Error {
  override name = 'AbortError';
  constructor() {
    super('The upstream request was cancelled');
  }
}

/**
 * One request's undici handler, which is also the answer's body.
 *
 * undici's own handler interface (onConnect/onHeaders/onData/onComplete/onError), not the
 * controller one (onRequestStart/onResponseStart/…): its dispatcher serves the controller one by
 * wrapping each handler in an adapter and a controller object of its own (two more objects per
 * request and a call more per chunk) and parses the trailers into an object, which nothing here
 * reads, on every answer.
 *
 * Chunks that arrive together are handed over as one: a streaming provider sends every SSE event
 * as its own HTTP chunk, and when several are in one socket read, undici calls onData for each in
 * one go. They are joined and delivered at the end of that turn (a microtask: no delay), so the
 * proxy meters and writes once per read instead of once per event.
 */
class ResponseHandler implements Dispatcher.DispatchHandler, UpstreamBody {
  private abortRequest: ((reason: Error) => void) | null = null;
  private aborted = false;
  /** undici's resume for this request's socket, from onHeaders. */
  private resumeSocket: (() => void) | null = null;
  /** The consumer asked for a pause: the next onData answers false, which pauses the socket. */
  private paused = false;
  private unhook: () => void = () => undefined;
  private started = false;
  /** Chunks not handed over yet: before `read()`, or since the last delivery. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private onChunk: ((chunk: Buffer) => boolean) | null = null;
  /** What the consumer threw: the read fails with it and the upstream request is aborted. */
  private consumerError: Error | null = null;
  private readonly deliverHeld = (): void => {
    if (this.held.length === 0 || this.onChunk === null || this.consumerError) return;
    const chunk =
      this.held.length === 1 ? (this.held[0] as Buffer) : Buffer.concat(this.held, this.heldBytes);
    this.held = [];
    this.heldBytes = 0;
    let flowing: boolean;
    try {
      flowing = this.onChunk(chunk);
    } catch (err) {
      this.consumerError = err instanceof Error ? err : new Error(String(err));
      if (!this.settled) this.abort(this.consumerError);
      return;
    }
    if (!flowing) this.paused = true;
  };
  private settled: { error: Error | null } | null = null;
  private done: { resolve: () => void; reject: (err: Error) => void } | null = null;

  constructor(
    private readonly signal: CancelSignal,
    private readonly resolveResponse: (res: UpstreamResponse) => void,
    private readonly rejectResponse: (err: Error) => void,
    private onDispatched?: () => void,
  ) {}

  /** Called as the request is written on a connected socket. */
  onConnect(abort: (reason: Error) => void): void {
    this.abortRequest = abort;
    if (this.signal.cancelled) this.abort(new AbortError());
    else {
      this.unhook = this.signal.onCancel(() => this.cancel());
      // Called once, then dropped: its scope is the sender's (the body, its spliced pieces), which
      // this handler would otherwise hold for the whole answer (issue 16, memory per open stream).
      const dispatched = this.onDispatched;
      this.onDispatched = undefined;
      dispatched?.();
    }
  }

  /** `rawHeaders` are views of the socket read they came in (with a long first burst in that read,
   *  up to 64 kB): only the strings made from them are kept, never the views (issue 16, memory
   *  per open stream). Strings in a flat list, not undici's `parseHeaders` object: that object,
   *  then the relay's copy of it, were two objects with keys added one by one on every answer. */
  onHeaders(status: number, rawHeaders: Buffer[], resume: () => void): boolean {
    // 1xx informational answers are not the answer.
    if (status < 200) return true;
    this.resumeSocket = resume;
    this.started = true;
    const raw: string[] = [];
    for (let i = 0; i < rawHeaders.length; i += 2)
      raw.push(undiciUtil.headerNameToString(rawHeaders[i]!), rawHeaders[i + 1]!.toString('latin1'));
    this.resolveResponse(new Answer(status, raw, this));
    return !this.paused;
  }

  onData(chunk: Buffer): boolean {
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.held.length === 1 && this.onChunk !== null) queueMicrotask(this.deliverHeld);
    return !this.paused;
  }

  onComplete(): void {
    this.finish(null);
  }

  onError(error: Error): void {
    if (!this.started) {
      this.unhook();
      this.rejectResponse(error);
    } else {
      this.finish(error);
    }
  }

  private abort(reason: Error): void {
    if (this.aborted || this.abortRequest === null) return;
    this.aborted = true;
    this.abortRequest(reason);
  }

  read(onChunk: (chunk: Buffer) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      this.done = { resolve, reject };
      this.onChunk = onChunk;
      this.deliverHeld();
      if (this.settled) this.deliver(this.consumerError ?? this.settled.error);
    });
  }

  resume(): void {
    // A drain that comes after the end must not touch a socket already serving another request.
    if (this.settled || !this.paused) return;
    this.paused = false;
    this.resumeSocket?.();
  }

  cancel(): void {
    if (this.settled) return;
    this.abort(new AbortError());
  }

  private finish(error: Error | null): void {
    if (this.settled) return;
    this.unhook();
    this.settled = { error };
    if (this.onChunk === null) return;
    // What arrived before the end (or a cut) still goes out, first.
    this.deliverHeld();
    this.deliver(this.consumerError ?? error);
  }

  private deliver(error: Error | null): void {
    if (error) this.done?.reject(error);
    else this.done?.resolve();
  }
}
