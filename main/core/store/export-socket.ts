// An export whose destination is a socket (an HTTP response, or a bare socket) is written by the
// worker itself, straight to the socket's descriptor (export-loop-source.ts): the proxy's thread
// sends the header and the first page, then only waits for the worker's "done" (issue 15: piping
// a month's 64 kB chunks cost the proxy's thread 0.3–0.5 ms each — the message, the promise, the
// stream's write and its syscall — 0.2–0.4 s of its CPU per month's export at 200k records, and
// their garbage brought one or two scavenges into every export; now 12–29 ms and none).
//
// Linux and macOS; elsewhere (Windows: no descriptor), over TLS, or for anything but a chunked
// HTTP/1.1 response or a bare socket, the chunks come back to this thread as before.
//
// The descriptor stays this thread's: Node closes it whenever the socket is destroyed (an error,
// the client gone, shutdown), and a closed number is soon another connection's. So while the
// worker may write, the socket's handle closes only once the worker cannot write any more: STOP
// is raised, then the close waits (on a timer, not on this thread) until no write is in progress.
// The worker raises WRITING before it checks STOP and writes; with sequentially consistent atomics
// one of the two sides always sees the other's flag.
import { OutgoingMessage } from 'node:http';
import { Socket } from 'node:net';

/** What the worker needs to write the bytes itself (cloned to it; `flags` is shared). */
export interface DirectWrite {
  fd: number;
  /** HTTP/1.1 chunked transfer coding: the worker frames each chunk. */
  chunked: boolean;
  /** [STOP, WRITING] over a SharedArrayBuffer. */
  flags: Int32Array;
}

export const STOP = 0;
export const WRITING = 1;

/** The libuv stream handle behind a net.Socket (Node's own, untyped). */
interface StreamHandle {
  fd?: number;
  writeQueueSize?: number;
  close?: (...a: unknown[]) => unknown;
  reset?: (...a: unknown[]) => unknown;
}

const handleOf = (s: Socket) => (s as unknown as { _handle?: StreamHandle | null })._handle ?? undefined;

/** Bytes this thread has handed to the socket that the kernel does not have yet. */
const pending = (s: Socket, out: NodeJS.WritableStream) =>
  s.writableLength +
  (handleOf(s)?.writeQueueSize ?? 0) +
  (out === s ? 0 : (out as OutgoingMessage).writableLength);

export class SocketTarget {
  private flags: Int32Array | undefined;
  private handle: StreamHandle | undefined;
  private wrapped: ('close' | 'reset')[] = [];
  private gone = false;

  private constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly socket: () => Socket | null | undefined,
    private readonly chunked: () => boolean | undefined,
  ) {}

  /** A target for `out` when it is a socket or an HTTP response; else undefined. */
  static of(out: NodeJS.WritableStream): SocketTarget | undefined {
    if (process.platform === 'win32') return undefined;
    if (out instanceof OutgoingMessage) {
      const res = out;
      // Chunked only: an HTTP/1.0 client's response (no framing, ended by closing) stays on the
      // main thread's path; so does anything that set a length.
      return new SocketTarget(
        out,
        () => res.socket as Socket | null,
        () => (res.headersSent && res.chunkedEncoding && !res.writableEnded ? true : undefined),
      );
    }
    if (out instanceof Socket)
      return new SocketTarget(
        out,
        () => out,
        () => false,
      );
    return undefined;
  }

  /**
   * Hands the descriptor over once everything written before has reached the kernel (so the
   * worker's bytes follow it), or undefined: the export then goes on through this thread.
   */
  async claim(): Promise<DirectWrite | undefined> {
    const s = this.socket();
    // `encrypted` is true on a TLSSocket only: no `instanceof`, which would load node:tls with the
    // core (issue 16: ~100 page faults of every start, for a check no plain-HTTP export needs).
    if (!s || (s as Partial<{ encrypted: boolean }>).encrypted === true || s.destroyed || s.writableEnded)
      return undefined;
    // A first page the socket could not take at once: wait a little for it, else pipe as before.
    for (let i = 0; i < 50 && pending(s, this.out) > 0 && !s.destroyed; i++)
      await new Promise((r) => setTimeout(r, 2));
    const chunked = this.chunked();
    const handle = handleOf(s);
    const fd = handle?.fd;
    if (
      chunked === undefined ||
      s.destroyed ||
      pending(s, this.out) > 0 ||
      !handle ||
      typeof fd !== 'number' ||
      fd < 0
    )
      return undefined;
    const flags = new Int32Array(new SharedArrayBuffer(8));
    this.flags = flags;
    this.handle = handle;
    // Node closes a socket's descriptor through its handle's close (or reset, for an RST): either
    // waits, if need be, until the worker can write no more. Deferring it is safe for Node: the
    // close completes asynchronously anyway ('close' is emitted from its callback), and the
    // socket has already let go of the handle.
    for (const m of ['close', 'reset'] as const) {
      const own = handle[m];
      if (typeof own !== 'function') continue;
      this.wrapped.push(m);
      handle[m] = (...a: unknown[]) => {
        Atomics.store(flags, STOP, 1);
        this.afterWriter(flags, () => {
          this.restore();
          own.apply(handle, a);
        });
      };
    }
    return { fd, chunked, flags };
  }

  /** The export is over: once the worker can write no more, the handle is Node's again. */
  release(): void {
    const flags = this.flags;
    if (!flags) return;
    Atomics.store(flags, STOP, 1);
    this.afterWriter(flags, () => this.restore());
  }

  /** The worker has exited (or was terminated, perhaps mid-write): it writes nothing more. */
  workerGone(): void {
    this.gone = true;
  }

  /**
   * Runs `then` (now, or from a 1 ms timer) once STOP is up and no write is in progress: after
   * that the worker raises WRITING, sees STOP and writes nothing. Never waits on this thread: a
   * nice-19 worker may be off its CPU for 100 ms between its STOP check and its write.
   */
  private afterWriter(flags: Int32Array, then: () => void): void {
    if (Atomics.load(flags, WRITING) === 0 || this.gone) return then();
    setTimeout(() => this.afterWriter(flags, then), 1).unref();
  }

  private restore(): void {
    const handle = this.handle;
    this.handle = undefined;
    this.flags = undefined;
    // Own properties over the prototype's methods: deleting them puts Node's back.
    for (const m of this.wrapped) if (handle) delete handle[m];
    this.wrapped = [];
  }
}
