// Detail storage: one append-only JSONL file per UTC day of the record's time, so retention deletes
// whole files and a time-bounded query opens only the days it covers. UTC (not local) days keep
// file names stable when the user changes time zone.
import { closeSync, openSync, readSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LedgerRecord } from '../../../shared/ledger.js';

const SEGMENT_RE = /^\d{4}-\d{2}-\d{2}\.jsonl$/;
const DAY_MS = 86_400_000;
const NEWLINE = 0x0a;

const UTC_ISO = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** `2024-05-01.jsonl` for any instant on that UTC day. Throws on an unparseable time. */
export function segmentOf(time: string): string {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) throw new TypeError(`ledger record has an invalid time: ${JSON.stringify(time)}`);
  // The common `...Z` form already names its UTC day; toISOString is the slow part otherwise.
  const day = UTC_ISO.exec(time)?.[1] ?? new Date(ms).toISOString().slice(0, 10);
  return `${day}.jsonl`;
}

/** [start, end) of a segment's UTC day in epoch ms. */
export function segmentSpan(name: string): { start: number; end: number } {
  const start = Date.parse(`${name.slice(0, 10)}T00:00:00Z`);
  return { start, end: start + DAY_MS };
}

/** Segment files in `dir`, oldest first. */
export async function listSegments(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.filter((n) => SEGMENT_RE.test(n)).sort();
}

/** `id` always comes first so a record can be found by a byte-prefix match without parsing. */
export function serializeRecord(r: LedgerRecord): string {
  for (const first in r) {
    if (first === 'id') return JSON.stringify(r); // already in order: skip the copy
    break;
  }
  const { id, ...rest } = r;
  return JSON.stringify({ id, ...rest });
}

export function idPrefix(id: string): Buffer {
  return Buffer.from(`{"id":${JSON.stringify(id)},`);
}

/** A line we wrote, or undefined for anything damaged (a full zod parse would cost seconds on replay). */
export function parseRecordLine(line: string): LedgerRecord | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Partial<LedgerRecord>;
  const ok =
    typeof r.id === 'string' &&
    typeof r.time === 'string' &&
    typeof r.tool === 'string' &&
    typeof r.model === 'string' &&
    typeof r.usage === 'object' &&
    r.usage !== null &&
    (r.costUsd === null || typeof r.costUsd === 'number');
  return ok ? (v as LedgerRecord) : undefined;
}

export interface ReplayResult {
  /** Size after repair: always at a line boundary. */
  size: number;
  /** Complete lines that did not parse (kept in place, ignored by every reader). */
  skipped: number;
  /** Bytes of a torn last line cut off. */
  truncated: number;
}

/**
 * Reads a segment from byte `from` to its end, handing each valid record to `onRecord`, and cuts
 * off a torn last line (a crash mid-write) so the next append starts on a clean line.
 */
export async function replaySegment(
  path: string,
  from: number,
  onRecord: (r: LedgerRecord) => void,
  chunkSize = 4 * 1024 * 1024,
): Promise<ReplayResult> {
  const fh = await open(path, 'r+');
  try {
    const { size } = await fh.stat();
    let pos = Math.min(from, size);
    let carry = Buffer.alloc(0);
    let lineStart = pos; // file offset of carry[0]
    let skipped = 0;
    while (pos < size) {
      const chunk = Buffer.allocUnsafe(Math.min(chunkSize, size - pos));
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const buf = carry.length
        ? Buffer.concat([carry, chunk.subarray(0, bytesRead)])
        : chunk.subarray(0, bytesRead);
      let start = 0;
      for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
        const r = parseRecordLine(buf.toString('utf8', start, nl));
        if (r) onRecord(r);
        else skipped++;
        start = nl + 1;
      }
      carry = buf.subarray(start);
      lineStart = pos - carry.length;
    }
    let truncated = 0;
    if (carry.length > 0) {
      truncated = carry.length;
      await fh.truncate(lineStart);
      await fh.sync();
    }
    return { size: size - truncated, skipped, truncated };
  } finally {
    await fh.close();
  }
}

export interface LineAt {
  offset: number;
  line: Buffer;
}

/** Complete lines of `path` ending at or before byte `end`, last first. A missing file yields nothing. */
export function* readLinesBackward(path: string, end: number, chunkSize = 256 * 1024): Generator<LineAt> {
  const fd = openIfExists(path);
  if (fd === undefined) return;
  try {
    let bufStart = end;
    let buf = Buffer.alloc(0);
    let lineEnd = end; // file offset just past the '\n' of the next line to yield
    while (lineEnd > 0) {
      const searchFrom = lineEnd - bufStart - 2; // skip the line's own '\n'
      const nl = searchFrom >= 0 ? buf.lastIndexOf(NEWLINE, searchFrom) : -1;
      if (nl === -1 && bufStart > 0) {
        const readStart = Math.max(0, bufStart - chunkSize);
        const chunk = Buffer.allocUnsafe(bufStart - readStart);
        readFully(fd, chunk, readStart);
        buf = Buffer.concat([chunk, buf.subarray(0, lineEnd - bufStart)]);
        bufStart = readStart;
        continue;
      }
      const lineStart = bufStart + nl + 1;
      yield { offset: lineStart, line: buf.subarray(lineStart - bufStart, lineEnd - bufStart - 1) };
      lineEnd = lineStart;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Offset of the last line before `end` that starts with `prefix`, found with a bulk byte search
 * (no per-line work): finding one id among a million lines must not block for seconds.
 */
export function findLineStartingWith(
  path: string,
  end: number,
  prefix: Buffer,
  chunkSize = 4 * 1024 * 1024,
): number | undefined {
  const fd = openIfExists(path);
  if (fd === undefined) return undefined;
  try {
    const needle = Buffer.concat([Buffer.from([NEWLINE]), prefix]);
    for (let hi = end; hi > 0;) {
      const lo = Math.max(0, hi - chunkSize);
      // Reach past `hi` so a match straddling the chunk boundary is still whole.
      const buf = Buffer.allocUnsafe(Math.min(end, hi + needle.length - 1) - lo);
      readFully(fd, buf, lo);
      const at = buf.lastIndexOf(needle);
      if (at !== -1) return lo + at + 1;
      if (lo === 0 && buf.length >= prefix.length && buf.subarray(0, prefix.length).equals(prefix)) return 0;
      hi = lo;
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** A file descriptor for reading, or undefined when the file is gone (retention may delete it). */
function openIfExists(path: string): number | undefined {
  try {
    return openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The line starting at `offset`, or undefined if the file or line is gone. */
export function readLineAt(path: string, offset: number): Buffer | undefined {
  const fd = openIfExists(path);
  if (fd === undefined) return undefined;
  try {
    const parts: Buffer[] = [];
    for (let pos = offset; ;) {
      const chunk = Buffer.allocUnsafe(16 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, pos);
      if (n === 0) return undefined;
      const nl = chunk.subarray(0, n).indexOf(NEWLINE);
      if (nl !== -1) {
        parts.push(chunk.subarray(0, nl));
        return Buffer.concat(parts);
      }
      parts.push(chunk.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
}

function readFully(fd: number, into: Buffer, position: number): void {
  for (let done = 0; done < into.length;) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) throw new Error('ledger segment shrank while reading');
    done += n;
  }
}

export function segmentPath(dir: string, name: string): string {
  return join(dir, name);
}
