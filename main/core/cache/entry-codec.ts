// One cache entry as one self-checking file:
//   "SHMC" | version byte | uint32 BE meta length | meta JSON (utf-8) | body bytes
// The meta names its key, the body length and the body's sha256, so a truncated, foreign or
// bit-flipped file is recognised and ignored instead of replayed.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CachedMetaSchema, type CachedResponse } from './cached-response.js';

const MAGIC = Buffer.from('SHMC', 'latin1');
const VERSION = 1;
export const PREFIX_BYTES = MAGIC.length + 1 + 4;

const FileMetaSchema = CachedMetaSchema.extend({
  key: z.string(),
  bodyBytes: z.number().int().nonnegative(),
  bodySha256: z.string(),
});

/** The hash an entry's `bodySha256` is of (hex digest). */
export const newBodyHash = () => createHash('sha256');

/** The bytes of `key`'s entry file before its body: prefix and meta, with the body's sha256 (hex)
 *  and length. The body follows them as it is, never copied into one buffer with them. */
export function encodeHead(key: string, value: CachedResponse, bodySha256: string): Buffer {
  const { body, ...rest } = value;
  const meta = Buffer.from(
    JSON.stringify({
      key,
      status: rest.status,
      headers: rest.headers,
      streamed: rest.streamed,
      usage: rest.usage,
      costUsd: rest.costUsd,
      model: rest.model,
      storedAt: rest.storedAt,
      bodyBytes: body.length,
      bodySha256,
    }),
    'utf8',
  );
  const prefix = Buffer.alloc(PREFIX_BYTES);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt8(VERSION, MAGIC.length);
  prefix.writeUInt32BE(meta.length, MAGIC.length + 1);
  return Buffer.concat([prefix, meta]);
}

/** Where the meta of the entry starting with `prefix` (its first PREFIX_BYTES or more) ends, or
 *  null when those bytes do not start an entry. */
export function metaEndOf(prefix: Buffer): number | null {
  if (prefix.length < PREFIX_BYTES || !prefix.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  if (prefix.readUInt8(MAGIC.length) !== VERSION) return null;
  return PREFIX_BYTES + prefix.readUInt32BE(MAGIC.length + 1);
}

/** The meta JSON of the entry `buf` starts with and where it ends, or null when `buf` does not
 *  start an entry or ends before its meta does, or the meta is not JSON. */
function readMeta(buf: Buffer): { metaEnd: number; json: unknown } | null {
  const metaEnd = metaEndOf(buf);
  if (metaEnd === null || metaEnd > buf.length) return null;
  try {
    return { metaEnd, json: JSON.parse(buf.subarray(PREFIX_BYTES, metaEnd).toString('utf8')) };
  } catch {
    return null;
  }
}

/** What start-up needs of an entry without reading its body: when it was stored and how big its
 *  body is. `head` holds the file's bytes up to its meta's end at least; `fileBytes` is the file's
 *  size, so a truncated file is known here. Null when the head is not one of `key`'s entries. The
 *  body's checksum and the meta's full shape are checked when the entry is first read whole. */
export function decodeHead(
  key: string,
  head: Buffer,
  fileBytes: number,
): { storedAt: number; bodyBytes: number } | null {
  const read = readMeta(head);
  if (!read || typeof read.json !== 'object' || read.json === null) return null;
  const { metaEnd } = read;
  const meta = read.json as { key?: unknown; storedAt?: unknown; bodyBytes?: unknown };
  const { storedAt, bodyBytes } = meta;
  if (meta.key !== key || !Number.isSafeInteger(storedAt) || !Number.isSafeInteger(bodyBytes)) return null;
  if (metaEnd + (bodyBytes as number) !== fileBytes) return null;
  return { storedAt: storedAt as number, bodyBytes: bodyBytes as number };
}

/** What an entry's head holds besides its body: where the body starts, and what it must hash to. */
export interface EntryMeta {
  meta: Omit<CachedResponse, 'body'>;
  metaEnd: number;
  bodyBytes: number;
  bodySha256: string;
}

/** The whole meta of `key`'s entry, checked, from `head` (the file's bytes up to its meta's end at
 *  least) and the file's size; null when it is not a complete entry of `key`. The body is checked
 *  as it is read, against `bodySha256` (newBodyHash), so a big one can be read a piece at a time. */
export function decodeMeta(key: string, head: Buffer, fileBytes: number): EntryMeta | null {
  const read = readMeta(head);
  if (!read) return null;
  const parsed = FileMetaSchema.safeParse(read.json);
  if (!parsed.success) return null;
  const { key: storedKey, bodyBytes, bodySha256, ...meta } = parsed.data;
  if (storedKey !== key || read.metaEnd + bodyBytes !== fileBytes) return null;
  return { meta, metaEnd: read.metaEnd, bodyBytes, bodySha256 };
}
