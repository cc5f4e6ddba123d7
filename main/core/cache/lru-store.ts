// The response cache: an in-memory LRU (Map insertion order = recency) bounded by entry count and
// body bytes, with a TTL counted from when the answer was stored, mirrored to disk (persistence.ts).
// Entry files are written as soon as they are set; the index (LRU order, counters) is debounced.
// A restart restores keys, sizes and stored-at times only; each body is read on its first hit.
import { z } from 'zod';
import { addUsd } from '../../../shared/money.js';
import { CACHE_KEY_RE } from './cache-key.js';
import { CachedMetaSchema, type CacheInput, type CachedResponse } from './cached-response.js';
import { joinInTurns } from './in-turns.js';
import { TURN_BYTES } from '../proxy/copy-turns.js';
import {
  listEntryKeys,
  openIndexFile,
  readEntryFile,
  readEntryHead,
  removeEntryFile,
  writeEntryFile,
  type CacheIndex,
} from './persistence.js';
import { replayableHeaders } from './replay-headers.js';

export interface CacheStats {
  entries: number;
  /** Sum of the stored bodies' sizes (the per-entry metadata is small and bounded by the entry count). */
  bytes: number;
  hits: number;
  misses: number;
  savedUsd: number;
  maxEntries: number;
  maxBytes: number;
}

export interface ResponseCache {
  /** undefined when missing or expired (expired entries are dropped); counts hit/miss. At once when
   *  the body is in memory (or there is none); a promise when it must first be read from disk (a
   *  restored entry's first hit), so a big body never holds the event loop while it is read. */
  get(key: string): CachedResponse | undefined | Promise<CachedResponse | undefined>;
  /** Evicts least-recently-used entries past maxEntries/maxBytes; an entry bigger than maxBytes, or
   *  with status >= 400, is not stored. A big body given in pieces is joined over several turns; a
   *  get meanwhile waits for it. */
  set(key: string, value: CacheInput): void;
  recordSaved(usd: number): void;
  stats(): CacheStats;
  /** Drops every entry and zeroes the counters, on disk too. */
  clear(): Promise<void>;
  /** Persist now (also done in the background, debounced); resolves when on disk. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface ResponseCacheOptions {
  dir: string;
  maxEntries: number;
  maxBytes: number;
  /** Read on every check, so a changed setting applies to entries already stored. */
  ttlMs: () => number;
  now?: () => number;
  /** Debounce of the background index write. */
  persistDelayMs?: number;
}

interface Slot {
  /** Undefined until an entry restored from disk is first asked for, or a body given in pieces is
   *  joined. */
  value: CachedResponse | undefined;
  /** Its file's read (or its pieces' join) while one is under way: concurrent hits share it. */
  reading?: Promise<void>;
  storedAt: number;
  bodyBytes: number;
  lastAccess: number;
}

export async function openResponseCache(opts: ResponseCacheOptions): Promise<ResponseCache> {
  const { dir, maxEntries, maxBytes, ttlMs } = opts;
  const now = opts.now ?? Date.now;
  const persistDelayMs = opts.persistDelayMs ?? 1_000;
  const indexFile = openIndexFile(dir);

  const slots = new Map<string, Slot>();
  let bytes = 0;
  let hits = 0;
  let misses = 0;
  let savedUsd = 0;
  let closed = false;

  // Disk operations on one key run in order (write, then evict, then write again...).
  const chains = new Map<string, Promise<void>>();
  let failure: unknown = undefined;
  let timer: NodeJS.Timeout | undefined;

  function onDisk(key: string, op: () => Promise<void>): void {
    const next = (chains.get(key) ?? Promise.resolve())
      .then(op)
      // Kept for flush() to report: a background write has no caller to throw to.
      .catch((err: unknown) => {
        failure ??= err;
      });
    chains.set(key, next);
    void next.then(() => {
      if (chains.get(key) === next) chains.delete(key);
    });
  }

  function scheduleIndex(): void {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      flush().catch(() => undefined);
    }, persistDelayMs);
    timer.unref();
  }

  function expired(storedAt: number, at: number): boolean {
    return at - storedAt >= ttlMs();
  }

  function drop(key: string): void {
    const slot = slots.get(key);
    if (!slot) return;
    slots.delete(key);
    bytes -= slot.bodyBytes;
    if (!closed) onDisk(key, () => removeEntryFile(dir, key));
  }

  function dropExpired(at: number): void {
    for (const [key, slot] of slots) if (expired(slot.storedAt, at)) drop(key);
  }

  /** Reads a restored entry's file on its first hit, once however many ask meanwhile. The file,
   *  not the index, has the last word on its stored-at time and size (the index may predate a
   *  rewrite a crash kept from it); an entry that is gone or corrupt is dropped like one that was
   *  never there. An entry evicted, cleared or replaced while it was read is not brought back. */
  function load(key: string, slot: Slot): Promise<void> {
    slot.reading ??= readEntryFile(dir, key).then((value) => {
      slot.reading = undefined;
      if (slots.get(key) !== slot) return;
      if (!value) {
        drop(key);
        return;
      }
      bytes += value.body.length - slot.bodyBytes;
      slot.bodyBytes = value.body.length;
      slot.storedAt = value.storedAt;
      slot.value = value;
      // A file bigger than the index said (a rewrite the index missed) may pass the bounds.
      evictPastBounds();
    });
    return slot.reading;
  }

  /** A lookup's outcome, counted: the entry under `key` as it is now, if it is live at `at`. */
  function answer(key: string, at: number): CachedResponse | undefined {
    const slot = slots.get(key);
    if (slot?.value && expired(slot.storedAt, at)) drop(key);
    else if (slot?.value) {
      hits += 1;
      return slot.value;
    }
    misses += 1;
    return undefined;
  }

  function evictPastBounds(): void {
    for (const key of slots.keys()) {
      if (slots.size <= maxEntries && bytes <= maxBytes) break;
      drop(key);
    }
  }

  function insert(key: string, slot: Slot): void {
    slots.set(key, slot);
    bytes += slot.bodyBytes;
  }

  // The live slots: the index file turns them into text as soon as it is written.
  const snapshot = (): CacheIndex => ({ slots, hits, misses, savedUsd });

  async function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    await Promise.all(chains.values());
    // Taken before the index write, so each failure is reported once even if that write fails too.
    const pending = failure;
    failure = undefined;
    await indexFile.write(snapshot());
    if (pending !== undefined) throw pending;
  }

  // Restore: the entries are the files. Those the index knows come in its order (the LRU order it
  // was written in, so no sort) with its stored-at times and sizes; any other (written after the
  // index, before a crash, or by a version whose index kept no sizes) is read for its head, and
  // then all are ordered by last access (stored-at time when the index lost the key).
  const index = await indexFile.read();
  hits = index.hits;
  misses = index.misses;
  savedUsd = index.savedUsd;
  const openedAt = now();
  const files = new Set(await listEntryKeys(dir));
  const restored: Array<[string, Slot]> = [];
  for (const [key, { lastAccess, storedAt, bodyBytes }] of index.slots) {
    if (storedAt === undefined || bodyBytes === undefined || !files.delete(key)) continue;
    restored.push([key, { value: undefined, storedAt, bodyBytes, lastAccess }]);
  }
  for (const key of files) {
    const head = await readEntryHead(dir, key);
    const lastAccess = index.slots.get(key)?.lastAccess ?? head?.storedAt;
    if (head && lastAccess !== undefined) restored.push([key, { value: undefined, ...head, lastAccess }]);
  }
  if (files.size > 0) restored.sort((x, y) => x[1].lastAccess - y[1].lastAccess);
  for (const [key, slot] of restored) {
    if (expired(slot.storedAt, openedAt)) onDisk(key, () => removeEntryFile(dir, key));
    else insert(key, slot);
  }
  // The bounds may have been lowered since the last run.
  evictPastBounds();
  // So that the next start finds every head in the index.
  if (files.size > 0) scheduleIndex();

  return {
    get(key) {
      const at = now();
      const slot = slots.get(key);
      if (slot && expired(slot.storedAt, at)) drop(key);
      else if (slot) {
        // Moved up when asked for, as a hit is, so what is evicted meanwhile is what would have
        // been had the body been in memory.
        slot.lastAccess = at;
        slots.delete(key);
        slots.set(key, slot);
      }
      scheduleIndex();
      if (!slot || slot.value !== undefined || slots.get(key) !== slot) return answer(key, at);
      return load(key, slot).then(() => answer(key, at));
    },

    set(key, value) {
      if (closed) return;
      if (!CACHE_KEY_RE.test(key))
        throw new Error(`invalid cache key "${key}": expected a sha256 hex digest`);
      const { body, ...meta } = value;
      const pieces = Buffer.isBuffer(body) ? [body] : body;
      let bodyBytes = 0;
      for (const p of pieces) bodyBytes += p.length;
      // Error answers are never replayed; a body that would evict everything else is not worth it.
      if (value.status >= 400 || bodyBytes > maxBytes) return;
      const checked = CachedMetaSchema.safeParse({ ...meta, headers: replayableHeaders(meta.headers) });
      // What cannot be read back after a restart must not be stored now either.
      if (!checked.success) throw new Error(`invalid cached response: ${z.prettifyError(checked.error)}`);
      const at = now();
      drop(key);
      // Expired entries make room before live ones are evicted.
      dropExpired(at);
      const slot: Slot = { value: undefined, storedAt: checked.data.storedAt, bodyBytes, lastAccess: at };
      const stored = (joined: Buffer): CachedResponse => (slot.value = { ...checked.data, body: joined });
      // One piece is the body as it is; small ones are joined at once, as cheap as a turn's share.
      let ready: CachedResponse | Promise<CachedResponse>;
      if (pieces.length === 1 || bodyBytes <= TURN_BYTES)
        ready = stored(pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, bodyBytes));
      else {
        const joining = joinInTurns(pieces, bodyBytes).then(stored);
        ready = joining;
        slot.reading = joining.then(() => {
          slot.reading = undefined;
        });
      }
      insert(key, slot);
      evictPastBounds();
      if (slots.has(key)) onDisk(key, async () => writeEntryFile(dir, key, await ready));
      scheduleIndex();
    },

    recordSaved(usd) {
      if (!Number.isFinite(usd) || usd < 0)
        throw new RangeError(`saved amount must be a finite USD >= 0, got ${usd}`);
      savedUsd = addUsd(savedUsd, usd);
      scheduleIndex();
    },

    stats() {
      dropExpired(now());
      return { entries: slots.size, bytes, hits, misses, savedUsd, maxEntries, maxBytes };
    },

    async clear() {
      for (const key of [...slots.keys()]) drop(key);
      hits = 0;
      misses = 0;
      savedUsd = 0;
      await flush();
    },

    flush,

    async close() {
      if (closed) return;
      await flush().finally(() => {
        closed = true;
      });
    },
  };
}
