// The cache on disk. Layout of `dir`:
//   <key>.bin   one entry (see entry-codec.ts), written to a temp file, fsynced, then renamed into
//               place, so a crash leaves either the old state or the new entry, never half of one.
//   index.json  last-access times (LRU order across restarts), each entry's stored-at time and
//               body size, and the hit/miss/saved counters, written atomically by lowdb. It is
//               only a hint: entries are found by listing the .bin files, an entry it does not
//               know is read for its head, and every entry is checked whole when first read, so a
//               lost or stale index costs LRU precision and start-up time, never data.
// Start-up reads no entry whole: a 10,000-entry cache would otherwise read and checksum up to
// 256 MB before the proxy listens. An entry's body is read when it is first asked for.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { DataFile } from 'lowdb/node';
import { CACHE_KEY_RE } from './cache-key.js';
import type { CachedResponse } from './cached-response.js';
import { decodeEntry, decodeHead, encodeEntry, metaEndOf } from './entry-codec.js';

const ENTRY_RE = /^([0-9a-f]{64})\.bin$/;
const TEMP_SUFFIX = '.tmp';

export interface CacheIndex {
  version: 1;
  /** Epoch ms of the last hit (or store) per key. */
  lastAccess: Record<string, number>;
  /** [storedAt, body bytes] per key, so start-up need not open the entry files. Absent in an
   *  index written before round 20: those entries are then read for their heads once. */
  entries?: Record<string, [number, number]>;
  hits: number;
  misses: number;
  savedUsd: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** The index in `text`, checked by hand rather than with a schema: a schema walks every one of up
 *  to 10,000 keys twice before the proxy can listen (~45 ms per 2,000 at start), while each key's
 *  values are checked where they are used (`indexedHead`, `indexedLastAccess`). */
export function parseIndex(text: string): CacheIndex {
  const data: unknown = JSON.parse(text);
  if (
    !isRecord(data) ||
    data.version !== 1 ||
    !isRecord(data.lastAccess) ||
    (data.entries !== undefined && !isRecord(data.entries)) ||
    !isCount(data.hits) ||
    !isCount(data.misses) ||
    typeof data.savedUsd !== 'number' ||
    !(data.savedUsd >= 0 && Number.isFinite(data.savedUsd))
  )
    throw new Error('not a cache index');
  return data as unknown as CacheIndex;
}

/** The stored-at time and body size the index holds for `key`, when it holds them intact. */
export function indexedHead(index: CacheIndex, key: string): EntryHead | undefined {
  const e: unknown = index.entries?.[key];
  if (!Array.isArray(e) || e.length !== 2 || !isCount(e[0]) || !isCount(e[1])) return undefined;
  return { storedAt: e[0], bodyBytes: e[1] };
}

/** When `key` was last used by the index, when it says so. */
export function indexedLastAccess(index: CacheIndex, key: string): number | undefined {
  const at: unknown = index.lastAccess[key];
  return typeof at === 'number' && Number.isFinite(at) ? at : undefined;
}

export const EMPTY_INDEX: CacheIndex = { version: 1, lastAccess: {}, hits: 0, misses: 0, savedUsd: 0 };

function entryPath(dir: string, key: string): string {
  // Keys become file names: only a sha256 hex may ever reach the file system.
  if (!CACHE_KEY_RE.test(key)) throw new Error(`invalid cache key "${key}"`);
  return path.join(dir, `${key}.bin`);
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

export async function writeEntryFile(dir: string, key: string, value: CachedResponse): Promise<void> {
  const target = entryPath(dir, key);
  const temp = path.join(dir, `.${key}.${randomUUID()}${TEMP_SUFFIX}`);
  try {
    const fh = await open(temp, 'wx');
    try {
      await fh.writeFile(encodeEntry(key, value));
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

/** The head of `key`'s entry file, read without its body; null (and the file deleted) when it is
 *  not an entry of `key` or is cut short; null when it is gone. */
export async function readEntryHead(dir: string, key: string): Promise<EntryHead | null> {
  const file = entryPath(dir, key);
  let head: EntryHead | null = null;
  try {
    const fh = await open(file, 'r');
    try {
      const { size } = await fh.stat();
      let buf = Buffer.alloc(Math.min(size, HEAD_READ_BYTES));
      await fh.read(buf, 0, buf.length, 0);
      const metaEnd = metaEndOf(buf);
      if (metaEnd !== null && metaEnd > buf.length && metaEnd <= size) {
        buf = Buffer.alloc(metaEnd);
        await fh.read(buf, 0, metaEnd, 0);
      }
      head = decodeHead(key, buf, size);
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
 *  it, in order with its other writes to that key). Synchronous because a lookup is: the hit is
 *  replayed in the same turn, which already costs time in proportion to the body. */
export function readEntryFileSync(dir: string, key: string): CachedResponse | null {
  try {
    return decodeEntry(key, readFileSync(entryPath(dir, key)));
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
    stringify: (data) => JSON.stringify(data),
  });
  return {
    async read() {
      try {
        return (await file.read()) ?? structuredClone(EMPTY_INDEX);
      } catch {
        return structuredClone(EMPTY_INDEX);
      }
    },
    write: (index) => file.write(index),
  };
}
