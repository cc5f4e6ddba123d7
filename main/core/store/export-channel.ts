// The main thread's side of an export run on a worker (export-loop-source.ts): starts it, yields
// its chunks in order, and hands each back when the caller releases it — or, when the destination
// is a socket the worker can write to itself (export-socket.ts), yields nothing and waits for its
// "done". A consumer that stops early (the client went away) cancels the worker's loop.
import type { Worker } from 'node:worker_threads';
import type { ExportReply } from './export-loop-source.js';
import type { ExportChunk, ExportPlan } from './export-plan.js';
import type { SocketTarget } from './export-socket.js';

interface Pending {
  chunks: ExportReply[];
  wake?: () => void;
  /** The socket the worker writes to itself, if it does. */
  to?: SocketTarget | undefined;
}

export class ExportChannel {
  private nextId = 0;
  private readonly running = new Map<number, Pending>();

  /** Routes a worker message; false when it is not an export's. */
  onMessage(m: Partial<ExportReply>): boolean {
    if (m.exp === undefined) return false;
    const p = this.running.get(m.exp);
    if (p) {
      p.chunks.push(m as ExportReply);
      const wake = p.wake;
      p.wake = undefined;
      wake?.();
    }
    return true;
  }

  /** The worker died or stopped: every export still running ends with `err`. */
  failAll(err: Error): void {
    for (const [id, p] of this.running) {
      p.to?.workerGone();
      p.chunks.push({ exp: id, error: err.message });
      p.wake?.();
    }
  }

  get size(): number {
    return this.running.size;
  }

  async *run(worker: Worker, plan: ExportPlan): AsyncGenerator<ExportChunk> {
    const id = this.nextId++;
    const p: Pending = { chunks: [] };
    this.running.set(id, p);
    let finished = false;
    const { to, ...cloned } = plan;
    try {
      const direct = await to?.claim();
      if (direct) p.to = to;
      worker.postMessage({ start: id, plan: cloned, direct });
      for (;;) {
        while (p.chunks.length === 0) await new Promise<void>((r) => (p.wake = r));
        const m = p.chunks.shift()!;
        if (m.error !== undefined) throw Object.assign(new Error(m.error), { code: m.code });
        if (m.done) {
          finished = true;
          return;
        }
        const bytes = m.chunk!;
        let released = false;
        yield {
          bytes,
          release(reuse) {
            if (released) return;
            released = true;
            if (reuse) worker.postMessage({ give: id, buffer: bytes.buffer }, [bytes.buffer as ArrayBuffer]);
            else worker.postMessage({ give: id });
          },
        };
      }
    } finally {
      this.running.delete(id);
      p.to?.release();
      if (!finished) worker.postMessage({ cancel: id });
    }
  }
}
