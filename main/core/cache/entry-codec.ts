// One cache entry as one self-checking file:
//   "SHMC" | version byte | uint32 BE meta length | meta JSON (utf-8) | body bytes
// The meta names its key, the body length and the body's sha256, so a truncated, foreign or
// bit-flipped file is recognised and ignored instead of replayed.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CachedMetaSchema, type CachedResponse } from './cached-response.js';

const MAGIC = Buffer.from('SHMC', 'latin1');
const VERSION = 1;
const PREFIX_BYTES = MAGIC.length + 1 + 4;

const FileMetaSchema = CachedMetaSchema.extend({
  key: z.string(),
  bodyBytes: z.number().int().nonnegative(),
  bodySha256: z.string(),
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export function encodeEntry(key: string, value: CachedResponse): Buffer {
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
      bodySha256: sha256(body),
    }),
    'utf8',
  );
  const prefix = Buffer.alloc(PREFIX_BYTES);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt8(VERSION, MAGIC.length);
  prefix.writeUInt32BE(meta.length, MAGIC.length + 1);
  return Buffer.concat([prefix, meta, body]);
}

/** The entry in `file`, or null when the bytes are not a complete, intact entry for `key`. */
export function decodeEntry(key: string, file: Buffer): CachedResponse | null {
  if (file.length < PREFIX_BYTES || !file.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  if (file.readUInt8(MAGIC.length) !== VERSION) return null;
  const metaEnd = PREFIX_BYTES + file.readUInt32BE(MAGIC.length + 1);
  if (metaEnd > file.length) return null;
  let json: unknown;
  try {
    json = JSON.parse(file.subarray(PREFIX_BYTES, metaEnd).toString('utf8'));
  } catch {
    return null;
  }
  const parsed = FileMetaSchema.safeParse(json);
  if (!parsed.success) return null;
  const { key: storedKey, bodyBytes, bodySha256, ...meta } = parsed.data;
  const body = file.subarray(metaEnd);
  if (storedKey !== key || body.length !== bodyBytes || sha256(body) !== bodySha256) return null;
  return { ...meta, body };
}
