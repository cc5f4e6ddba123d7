// The batched appender: append() only queues; one background turn writes everything queued since
// the last turn (one write per segment), so the request path never waits on disk. A written line
// survives the process being killed (it is in the OS's page cache); fdatasync, which only matters
// for power loss, runs at most every SYNC_INTERVAL_MS: one per request cost ~0.5 ms of latency each.
// The write itself is synchronous (a few µs into the page cache): through libuv's thread pool every
// turn woke a worker thread that competed for the two cores with the proxy and its clients. It runs
// WRITE_DELAY_MS after the first line queued, not at the end of the same turn: one request at a time
// would otherwise pay a write each, on the path to the next request; a record is in the OS within
// about a millisecond of its answer either way.
// Each line's byte offset is fixed when it is queued and written positionally, which makes a retry
// after a failed write idempotent and lets readers treat queued lines as if already in the file.
import { constants, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { LedgerRecord } from '../../../shared/ledger.js';
import { syncDir } from './durable-fs.js';
import { segmentPath, serializeRecord } from './segment-files.js';

export interface PendingLine {
  record: LedgerRecord;
  segment: string;
  offset: number;
  line: string;
  bytes: number;
  /** Local day the record was counted under, so the durable roll-ups count it the same way. */
  day: string;
}

interface SegmentSize {
  /** Bytes written (fdatasync follows within SYNC_INTERVAL_MS): readers trust the file up to here. */
  committed: number;
  /** committed + queued bytes. */
  planned: number;
}

export interface WriterHooks {
  /** A batch is on disk; runs inside the writer's exclusive turn. */
  onCommitted(batch: readonly PendingLine[]): Promise<void>;
  onError(err: Error): void;
}

const MAX_OPEN_HANDLES = 4;
/** Longest a written line waits for fdatasync (the power-loss window). */
export const SYNC_INTERVAL_MS = 200;
/** Longest a queued line waits for its write (the window a killed process can lose). */
export const WRITE_DELAY_MS = 1;
const RETRY_MS = 1000;

export class SegmentWriter {
  /** Queued lines, oldest first; readers merge them in as the newest part of their segment. */
  readonly pending: PendingLine[] = [];
  private readonly sizes = new Map<string, SegmentSize>();
  private readonly handles = new Map<string, FileHandle>();
  private readonly onDisk = new Set<string>();
  private lock: Promise<void> = Promise.resolve();
  private scheduled = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private appended = 0;
  private durable = 0;
  private waiters: { target: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  private closed = false;
  private readonly dirty = new Set<FileHandle>();
  private syncTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    existing: ReadonlyMap<string, number>,
    private readonly hooks: WriterHooks,
  ) {
    for (const [name, size] of existing) {
      this.sizes.set(name, { committed: size, planned: size });
      this.onDisk.add(name);
    }
  }

  /** `segment` is segmentOf(record.time), computed once by the caller. */
  enqueue(record: LedgerRecord, segment: string, day: string): PendingLine {
    if (this.closed) throw new Error('ledger is closed');
    const line = `${serializeRecord(record)}\n`;
    let size = this.sizes.get(segment);
    if (!size) this.sizes.set(segment, (size = { committed: 0, planned: 0 }));
    const entry: PendingLine = {
      record,
      segment,
      offset: size.planned,
      line,
      bytes: Buffer.byteLength(line),
      day,
    };
    size.planned += entry.bytes;
    this.pending.push(entry);
    this.appended++;
    this.schedule();
    return entry;
  }

  committedSize(segment: string): number {
    return this.sizes.get(segment)?.committed ?? 0;
  }

  /** Every segment with committed or queued bytes, oldest first. */
  segments(): string[] {
    return [...this.sizes.keys()].sort();
  }

  committedSizes(): Map<string, number> {
    return new Map([...this.sizes].map(([name, s]) => [name, s.committed]));
  }

  /** Resolves when every appended line is written and fdatasync'd. */
  async flush(): Promise<void> {
    if (this.durable < this.appended) {
      await new Promise<void>((resolve, reject) => {
        this.waiters.push({ target: this.appended, resolve, reject });
        this.schedule();
      });
    }
    await this.exclusive(() => this.syncDirty());
  }

  private async syncDirty(): Promise<void> {
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    const handles = [...this.dirty];
    this.dirty.clear();
    await Promise.all(handles.map((fh) => fh.datasync()));
  }

  private scheduleSync(): void {
    if (this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      void this.exclusive(() => this.syncDirty()).catch((err: unknown) =>
        this.hooks.onError(err instanceof Error ? err : new Error(String(err))),
      );
    }, SYNC_INTERVAL_MS);
    this.syncTimer.unref();
  }

  /** Runs `fn` between batches, never during a write (snapshots, deleting segments). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn);
    this.lock = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Forgets a segment that may be deleted; refuses while lines for it are queued. Call inside exclusive(). */
  async release(segment: string): Promise<boolean> {
    const size = this.sizes.get(segment);
    if (size && size.planned !== size.committed) return false;
    this.sizes.delete(segment);
    this.onDisk.delete(segment);
    const fh = this.handles.get(segment);
    this.handles.delete(segment);
    if (fh) this.dirty.delete(fh);
    await fh?.close();
    return true;
  }

  async close(): Promise<void> {
    this.closed = true; // first: an append slipping in after the final flush would be lost
    try {
      await this.flush();
    } finally {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    await this.exclusive(async () => {
      const all = [...this.handles.values()];
      this.handles.clear();
      await Promise.all(all.map((fh) => fh.close()));
    });
  }

  private schedule(): void {
    if (this.scheduled || this.retryTimer) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      void this.exclusive(() => this.writeOneBatch());
    }, WRITE_DELAY_MS);
  }

  private async writeOneBatch(): Promise<void> {
    const n = this.pending.length;
    if (n === 0) return;
    const batch = this.pending.slice(0, n);
    try {
      await this.writeLines(batch);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.hooks.onError(new Error(`ledger write failed, will retry: ${error.message}`, { cause: error }));
      for (const w of this.waiters.splice(0)) w.reject(error);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.schedule();
      }, RETRY_MS);
      this.retryTimer.unref();
      return;
    }
    this.pending.splice(0, n);
    for (const p of batch) {
      const size = this.sizes.get(p.segment);
      if (size) size.committed = p.offset + p.bytes;
    }
    this.durable += n;
    this.waiters = this.waiters.filter((w) => {
      if (w.target > this.durable) return true;
      w.resolve();
      return false;
    });
    try {
      await this.hooks.onCommitted(batch);
    } catch (err) {
      this.hooks.onError(err instanceof Error ? err : new Error(String(err)));
    }
    if (this.pending.length > 0) this.schedule();
  }

  private async writeLines(batch: readonly PendingLine[]): Promise<void> {
    const bySegment = new Map<string, PendingLine[]>();
    for (const p of batch) {
      const list = bySegment.get(p.segment);
      if (list) list.push(p);
      else bySegment.set(p.segment, [p]);
    }
    for (const [segment, lines] of bySegment) {
      const first = lines[0];
      if (!first) continue;
      const buf = Buffer.from(lines.map((l) => l.line).join(''));
      const fh = await this.handle(segment);
      for (let done = 0; done < buf.length;)
        done += writeSync(fh.fd, buf, done, buf.length - done, first.offset + done);
      this.dirty.add(fh);
      this.scheduleSync();
      if (!this.onDisk.has(segment)) {
        // A new file must be on disk before its directory entry is synced.
        await fh.datasync();
        await syncDir(this.dir);
        this.onDisk.add(segment);
      }
    }
  }

  private async handle(segment: string): Promise<FileHandle> {
    const cached = this.handles.get(segment);
    if (cached) {
      // Re-insert to keep the map in least-recently-used order.
      this.handles.delete(segment);
      this.handles.set(segment, cached);
      return cached;
    }
    // Not O_APPEND: writes go to the offset fixed at enqueue time.
    const fh = await open(segmentPath(this.dir, segment), constants.O_WRONLY | constants.O_CREAT, 0o600);
    this.handles.set(segment, fh);
    if (this.handles.size > MAX_OPEN_HANDLES) {
      const [oldest, old] = this.handles.entries().next().value as [string, FileHandle];
      this.handles.delete(oldest);
      if (this.dirty.delete(old)) await old.datasync();
      await old.close();
    }
    return fh;
  }
}
