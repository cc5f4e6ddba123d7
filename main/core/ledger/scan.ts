// Walks detailed records newest first: per segment (newest UTC day first), the still-queued lines
// of that segment, then its committed lines read backward. Queued lines already own their future
// byte offsets, so a position (segment, offset) means the same thing before and after they land.
import type { LedgerRecord } from '../../../shared/ledger.js';
import type { PendingLine } from './segment-writer.js';
import { parseRecordLine, readLinesBackward, segmentPath, segmentSpan } from './segment-files.js';

export interface Position {
  segment: string;
  offset: number;
}

/** What the scanner needs from the writer: the segments, how far each is on disk, and the queue. */
export interface ScanSource {
  dir: string;
  segments(): string[];
  committedSize(segment: string): number;
  readonly pending: readonly PendingLine[];
}

/** One detailed record: `record` if it is still queued, else the raw `line` (parse only if needed). */
export interface Scanned extends Position {
  record?: LedgerRecord;
  line?: Buffer;
}

export interface ScanBounds {
  /** Start strictly before this position (a `before` cursor). */
  from?: Position;
  /** Skip segments wholly outside [sinceMs, untilMs). */
  sinceMs?: number;
  untilMs?: number;
}

export function* scanNewestFirst(src: ScanSource, bounds: ScanBounds = {}): Generator<Scanned> {
  const segments = src.segments().reverse();
  for (const segment of segments) {
    if (bounds.from && segment > bounds.from.segment) continue;
    const span = segmentSpan(segment);
    if (bounds.untilMs !== undefined && span.start >= bounds.untilMs) continue;
    if (bounds.sinceMs !== undefined && span.end <= bounds.sinceMs) break; // older ones are older still
    const limit = bounds.from && segment === bounds.from.segment ? bounds.from.offset : Infinity;
    // Both read together, before yielding: a batch landing while the caller awaits must not show twice.
    const queued = src.pending.filter((p) => p.segment === segment && p.offset < limit);
    const end = Math.min(src.committedSize(segment), limit);
    for (let i = queued.length - 1; i >= 0; i--) {
      const p = queued[i];
      if (p) yield { segment, offset: p.offset, record: p.record };
    }
    for (const { offset, line } of readLinesBackward(segmentPath(src.dir, segment), end)) {
      yield { segment, offset, line };
    }
  }
}

/** The record of a scanned item; undefined for a damaged line. */
export function recordOf(s: Scanned): LedgerRecord | undefined {
  return s.record ?? (s.line ? parseRecordLine(s.line.toString('utf8')) : undefined);
}
