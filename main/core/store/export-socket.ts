// An export whose destination is a socket (an HTTP response, or a bare socket) is written by the
// worker itself, straight to the socket's descriptor (export-loop-source.ts): the proxy's thread
// sends the header and the first page, then only waits for the worker's "done" (issue 15: piping
// a month's 64 kB chunks cost the proxy's thread ~0.5 ms each — the message, the promise, the
// stream's write and its syscall — 0.25–0.7 s of CPU per month's CSV at 200k records, and the
// garbage brought a scavenge into every export).
//
// Linux and macOS; elsewhere (Windows: no descriptor), over TLS, or for anything but a chunked
// HTTP/1.1 response or a bare socket, the chunks come back to this thread as before.
//
// The descriptor stays this thread's: Node closes it whenever the socket is destroyed (an error,
// the client gone, shutdown), and a closed number is soon another connection's. So while the
// worker may write, the socket's handle is closed only after `stop()`: it raises STOP and waits
// out a write in progress (one non-blocking syscall); the worker checks STOP after raising
// WRITING, so with sequentially consistent atomics one of the two always sees the other.
import { OutgoingMessage } from 'node:http';
import { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

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
    if (!s || s instanceof TLSSocket || s.destroyed || s.writableEnded) return undefined;
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
    // Node closes a socket's descriptor through its handle's close (or reset, for an RST):
    // neither runs until the worker has stopped writing to it.
    for (const m of ['close', 'reset'] as const) {
      const own = handle[m];
      if (typeof own !== 'function') continue;
      this.wrapped.push(m);
      handle[m] = (...a: unknown[]) => {
        this.stop();
        return own.apply(handle, a);
      };
    }
    return { fd, chunked, flags };
  }

  /** The worker writes no more to the descriptor once this returns; the handle is Node's again. */
  stop(): void {
    const flags = this.flags;
    if (!flags) return;
    Atomics.store(flags, STOP, 1);
    // At most one non-blocking write in progress: microseconds. Bounded all the same: a worker
    // terminated mid-write leaves WRITING raised, and writes nothing more.
    const until = performance.now() + 100;
    while (Atomics.load(flags, WRITING) === 1 && performance.now() < until)
      Atomics.wait(flags, WRITING, 1, 1);
    this.flags = undefined;
    const handle = this.handle;
    this.handle = undefined;
    // Own properties over the prototype's methods: deleting them puts Node's back.
    for (const m of this.wrapped) if (handle) delete handle[m];
    this.wrapped = [];
  }
}
