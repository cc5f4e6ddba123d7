// The cache on disk. Layout of `dir`:
//   <key>.bin   one entry (see entry-codec.ts), written to a temp file, fsynced, then renamed into
//               place, so a crash leaves either the old state or the new entry, never half of one.
//   index.json  the keys in LRU order with their last-access times, stored-at times and body
//               sizes, and the hit/miss/saved counters, written atomically by lowdb. It is
//               only a hint: entries are found by listing the .bin files, an entry it does not
//               know is read for its head, and every entry is checked whole when first read, so a
//               lost or stale index costs LRU precision and start-up time, never data.
// Start-up reads no entry whole: a 10,000-entry cache would otherwise read and checksum up to
// 256 MB before the proxy listens. An entry's body is read when it is first asked for.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { DataFile } from 'lowdb/node';
import { CACHE_KEY_RE } from './cache-key.js';
import type { CachedResponse } from './cached-response.js';
import { decodeHead, decodeMeta, encodeHead, metaEndOf, newBodyHash } from './entry-codec.js';
import { hashInTurns } from './in-turns.js';

const ENTRY_RE = /^([0-9a-f]{64})\.bin$/;
const TEMP_SUFFIX = '.tmp';

/** What the index knows of one key. */
export interface IndexedSlot {
  /** Epoch ms of the last hit (or store). */
  lastAccess: number;
  /** Absent for an index written before round 20 (version 1): the entry's head is read once. */
  storedAt?: number;
  bodyBytes?: number;
}

export interface CacheIndex {
  /** In LRU order, least recently used first. */
  slots: Map<string, IndexedSlot>;
  hits: number;
  misses: number;
  savedUsd: number;
}

export const emptyIndex = (): CacheIndex => ({ slots: new Map(), hits: 0, misses: 0, savedUsd: 0 });

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

// On disk, version 2: `keys` (LRU order) and `slots`, three numbers per key (last access, stored
// at, body bytes), plus the counters. Arrays, not an object keyed by entry: V8 parses 10,000
// 64-character property names ~3× slower than the same strings as array items, and looks them up
// slower than a Map. Version 1 (before round 20) kept only `lastAccess: { [key]: ms }`.
// Checked by hand, not by a schema: a schema walked every key twice before the proxy could listen.

/** The index in `text` (version 2, or 1 as older versions wrote it); throws when it is neither. */
export function parseIndex(text: string): CacheIndex {
  const data: unknown = JSON.parse(text);
  if (
    !isRecord(data) ||
    !isCount(data.hits) ||
    !isCount(data.misses) ||
    typeof data.savedUsd !== 'number' ||
    !(data.savedUsd >= 0 && Number.isFinite(data.savedUsd))
  )
    throw new Error('not a cache index');
  const index: CacheIndex = {
    slots: new Map(),
    hits: data.hits,
    misses: data.misses,
    savedUsd: data.savedUsd,
  };
  const { keys, slots, lastAccess } = data;
  if (data.version === 2 && Array.isArray(keys) && Array.isArray(slots) && slots.length === keys.length * 3) {
    for (let i = 0; i < keys.length; i++) {
      const [at, storedAt, bodyBytes] = [slots[3 * i], slots[3 * i + 1], slots[3 * i + 2]] as unknown[];
      if (typeof keys[i] !== 'string' || !isCount(at)) continue;
      index.slots.set(
        keys[i] as string,
        isCount(storedAt) && isCount(bodyBytes)
          ? { lastAccess: at, storedAt, bodyBytes }
          : { lastAccess: at },
      );
    }
  } else if (data.version === 1 && isRecord(lastAccess)) {
    for (const [key, at] of Object.entries(lastAccess))
      if (isCount(at)) index.slots.set(key, { lastAccess: at });
  } else throw new Error('not a cache index');
  return index;
}

export function stringifyIndex(index: CacheIndex): string {
  const keys: string[] = [];
  const slots: number[] = [];
  for (const [key, slot] of index.slots) {
    keys.push(key);
    slots.push(slot.lastAccess, slot.storedAt ?? 0, slot.bodyBytes ?? 0);
  }
  const { hits, misses, savedUsd } = index;
  return JSON.stringify({ version: 2, keys, slots, hits, misses, savedUsd });
}

function entryPath(dir: string, key: string): string {
  // Keys become file names: only a sha256 hex may ever reach the file system.
  if (!CACHE_KEY_RE.test(key)) throw new Error(`invalid cache key "${key}"`);
  return path.join(dir, `${key}.bin`);
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** The body is hashed in turns (in-turns.ts) and written as it is, after its head: the kernel's
 *  copy of it happens on the thread pool, not on the event loop. */
export async function writeEntryFile(dir: string, key: string, value: CachedResponse): Promise<void> {
  const target = entryPath(dir, key);
  const temp = path.join(dir, `.${key}.${randomUUID()}${TEMP_SUFFIX}`);
  const head = encodeHead(key, value, await hashInTurns(value.body));
  try {
    const fh = await open(temp, 'wx');
    try {
      // Each writeFile writes from where the last one ended, all of its bytes.
      await fh.writeFile(head);
      await fh.writeFile(value.body);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

export async function removeEntryFile(dir: string, key: string): Promise<void> {
  try {
    await unlink(entryPath(dir, key));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

export interface EntryHead {
  storedAt: number;
  bodyBytes: number;
}

/** The keys of the entry files in `dir`. Leftover temp files (a write a crash cut short) are deleted. */
export async function listEntryKeys(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const keys: string[] = [];
  for (const name of await readdir(dir)) {
    if (name.endsWith(TEMP_SUFFIX)) {
      await unlink(path.join(dir, name)).catch(() => undefined);
      continue;
    }
    const key = ENTRY_RE.exec(name)?.[1];
    if (key !== undefined) keys.push(key);
  }
  return keys;
}

// Enough for the meta of any entry but one with unusually many headers, which takes a second read.
const HEAD_READ_BYTES = 4096;
// A body is read and hashed this much at a time, each piece in a turn of its own: a tens-of-MB
// entry read and hashed in one piece held every other request for as long (issue 16).
const BODY_READ_BYTES = 1024 * 1024;

/** The file's bytes from its start to its meta's end at least (all of it when it is smaller),
 *  unless its prefix is not an entry's. */
async function readHeadBytes(fh: FileHandle, size: number): Promise<Buffer> {
  let buf = Buffer.alloc(Math.min(size, HEAD_READ_BYTES));
  await fh.read(buf, 0, buf.length, 0);
  const metaEnd = metaEndOf(buf);
  if (metaEnd !== null && metaEnd > buf.length && metaEnd <= size) {
    buf = Buffer.alloc(metaEnd);
    await fh.read(buf, 0, metaEnd, 0);
  }
  return buf;
}

/** The head of `key`'s entry file, read without its body; null (and the file deleted) when it is
 *  not an entry of `key` or is cut short; null when it is gone. */
export async function readEntryHead(dir: string, key: string): Promise<EntryHead | null> {
  const file = entryPath(dir, key);
  let head: EntryHead | null = null;
  try {
    const fh = await open(file, 'r');
    try {
      const { size } = await fh.stat();
      head = decodeHead(key, await readHeadBytes(fh, size), size);
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (isNotFound(err)) return null;
  }
  if (!head) await unlink(file).catch(() => undefined);
  return head;
}

/** `key`'s entry, read whole and checked; null when it is gone or not intact (the caller deletes
 *  it, in order with its other writes to that key). The body is read and hashed a piece at a time,
 *  so other requests are served between the pieces. */
export async function readEntryFile(dir: string, key: string): Promise<CachedResponse | null> {
  try {
    const fh = await open(entryPath(dir, key), 'r');
    try {
      const { size } = await fh.stat();
      const head = await readHeadBytes(fh, size);
      const entry = decodeMeta(key, head, size);
      if (!entry) return null;
      // Unzeroed: every byte is read into it, or it is never returned.
      const body = Buffer.allocUnsafe(entry.bodyBytes);
      const hash = newBodyHash();
      // What the head's read already brought of the body (all of a small entry) is not read again.
      let at = head.copy(body, 0, entry.metaEnd);
      hash.update(body.subarray(0, at));
      while (at < body.length) {
        const want = Math.min(BODY_READ_BYTES, body.length - at);
        const { bytesRead } = await fh.read(body, at, want, entry.metaEnd + at);
        if (bytesRead === 0) return null; // cut short since its size was read
        hash.update(body.subarray(at, at + bytesRead));
        at += bytesRead;
      }
      return hash.digest('hex') === entry.bodySha256 ? { ...entry.meta, body } : null;
    } finally {
      await fh.close();
    }
  } catch {
    return null;
  }
}

export interface IndexFile {
  /** The stored index, or an empty one when it is missing or unreadable. */
  read(): Promise<CacheIndex>;
  write(index: CacheIndex): Promise<void>;
}

export function openIndexFile(dir: string): IndexFile {
  const file = new DataFile<CacheIndex>(path.join(dir, 'index.json'), {
    parse: parseIndex,
    stringify: stringifyIndex,
  });
  return {
    async read() {
      try {
        return (await file.read()) ?? emptyIndex();
      } catch {
        return emptyIndex();
      }
    },
    write: (index) => file.write(index),
  };
}
