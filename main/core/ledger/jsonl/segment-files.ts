// The JSONL ledger of versions before the SQL one: one append-only file per UTC day of record time.
// Read only to import it (main/core/ledger/jsonl/import-jsonl.ts).
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LedgerRecord } from '../../../../shared/ledger.js';

const SEGMENT_RE = /^\d{4}-\d{2}-\d{2}\.jsonl$/;
const NEWLINE = 0x0a;

/** Segment files in `dir`, oldest first. */
export async function listSegments(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.filter((n) => SEGMENT_RE.test(n)).sort();
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
  onRecord: (r: LedgerRecord, offset: number) => void,
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
        if (r) onRecord(r, lineStart + start);
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

export function segmentPath(dir: string, name: string): string {
  return join(dir, name);
}
