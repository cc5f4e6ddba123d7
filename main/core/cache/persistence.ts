// The cache on disk. Layout of `dir`:
//   <key>.bin   one entry (see entry-codec.ts), written to a temp file, fsynced, then renamed into
//               place, so a crash leaves either the old state or the new entry, never half of one.
//   index.json  last-access times (LRU order across restarts) and the hit/miss/saved counters,
//               written atomically by lowdb. It is only a hint: entries are found by listing the
//               .bin files, so a lost or stale index costs LRU precision, never data.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { DataFile } from 'lowdb/node';
import { z } from 'zod';
import { CACHE_KEY_RE } from './cache-key.js';
import type { CachedResponse } from './cached-response.js';
import { decodeEntry, encodeEntry } from './entry-codec.js';

const ENTRY_RE = /^([0-9a-f]{64})\.bin$/;
const TEMP_SUFFIX = '.tmp';

export const CacheIndexSchema = z.object({
  version: z.literal(1),
  /** Epoch ms of the last hit (or store) per key. */
  lastAccess: z.record(z.string(), z.number()),
  hits: z.number().int().nonnegative(),
  misses: z.number().int().nonnegative(),
  savedUsd: z.number().nonnegative(),
});
export type CacheIndex = z.infer<typeof CacheIndexSchema>;

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

/** Every intact entry in `dir`. Corrupt entries and leftover temp files are deleted, never fatal. */
export async function loadEntryFiles(dir: string): Promise<Array<{ key: string; value: CachedResponse }>> {
  await mkdir(dir, { recursive: true });
  const out: Array<{ key: string; value: CachedResponse }> = [];
  for (const name of await readdir(dir)) {
    const file = path.join(dir, name);
    if (name.endsWith(TEMP_SUFFIX)) {
      await unlink(file).catch(() => undefined);
      continue;
    }
    const key = ENTRY_RE.exec(name)?.[1];
    if (key === undefined) continue;
    let value: CachedResponse | null = null;
    try {
      value = decodeEntry(key, await readFile(file));
    } catch (err) {
      if (isNotFound(err)) continue;
    }
    if (value) out.push({ key, value });
    else await unlink(file).catch(() => undefined);
  }
  return out;
}

export interface IndexFile {
  /** The stored index, or an empty one when it is missing or unreadable. */
  read(): Promise<CacheIndex>;
  write(index: CacheIndex): Promise<void>;
}

export function openIndexFile(dir: string): IndexFile {
  const file = new DataFile<CacheIndex>(path.join(dir, 'index.json'), {
    parse: (text) => CacheIndexSchema.parse(JSON.parse(text)),
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
