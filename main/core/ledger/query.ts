// Log queries: filters, newest-first pages with an id cursor, and finding one record by id.
import type { LedgerRecord } from '../../../shared/ledger.js';
import type { LogQuery } from './types.js';
import { findLineStartingWith, idPrefix, parseRecordLine, readLineAt, segmentPath } from './segment-files.js';
import { recordOf, scanNewestFirst, type Position, type Scanned, type ScanSource } from './scan.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

const TEXT_FIELDS = [
  'id',
  'tool',
  'provider',
  'model',
  'path',
  'user',
  'project',
  'keyLabel',
  'errorClass',
  'client',
  'session',
] as const;
/** A value JSON.stringify would escape cannot be searched for in the raw line. */
function isPlainText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/** Matches a scanned item, checking cheap byte patterns on raw lines before parsing them. */
export function matcher(q: LogQuery): (s: Scanned) => LedgerRecord | undefined {
  const needles: Buffer[] = [];
  if (q.tool !== undefined) needles.push(Buffer.from(`"tool":${JSON.stringify(q.tool)}`));
  if (q.model !== undefined) needles.push(Buffer.from(`"model":${JSON.stringify(q.model)}`));
  if (q.status !== undefined) needles.push(Buffer.from(`"status":${JSON.stringify(q.status)}`));
  const text = q.text?.toLowerCase() || undefined;
  const rawSearchable = text !== undefined && isPlainText(text);
  const sinceMs = q.since?.getTime();
  const untilMs = q.until?.getTime();
  return (s) => {
    if (s.line) {
      for (const n of needles) if (s.line.indexOf(n) === -1) return undefined;
    }
    const r = recordOf(s);
    if (!r) return undefined;
    if (q.tool !== undefined && r.tool !== q.tool) return undefined;
    if (q.model !== undefined && r.model !== q.model) return undefined;
    if (q.status !== undefined && r.status !== q.status) return undefined;
    if (sinceMs !== undefined || untilMs !== undefined) {
      const t = Date.parse(r.time);
      if (sinceMs !== undefined && t < sinceMs) return undefined;
      if (untilMs !== undefined && t >= untilMs) return undefined;
    }
    if (text !== undefined) {
      if (s.line && rawSearchable && !s.line.toString('utf8').toLowerCase().includes(text)) return undefined;
      if (!TEXT_FIELDS.some((f) => r[f]?.toLowerCase().includes(text))) return undefined;
    }
    return r;
  };
}

export function boundsOf(q: LogQuery, from?: Position) {
  return { from, sinceMs: q.since?.getTime(), untilMs: q.until?.getTime() };
}

export interface Page {
  records: LedgerRecord[];
  /** Position of the last record, when there is a next page. */
  last?: Position & { id: string };
}

export function queryPage(src: ScanSource, q: LogQuery, from: Position | undefined): Page {
  const limit = Math.min(Math.max(1, Math.floor(q.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
  const match = matcher(q);
  const records: LedgerRecord[] = [];
  let lastPos: Position | undefined;
  for (const s of scanNewestFirst(src, boundsOf(q, from))) {
    const r = match(s);
    if (!r) continue;
    if (records.length === limit) {
      const last = records[records.length - 1];
      return { records, last: last && lastPos ? { ...lastPos, id: last.id } : undefined };
    }
    records.push(r);
    lastPos = { segment: s.segment, offset: s.offset };
  }
  return { records };
}

/** Finds a record's position by id: queued lines first, then a byte search of each segment, newest first. */
export function locate(src: ScanSource, id: string): (Position & { record: LedgerRecord }) | undefined {
  const prefix = idPrefix(id);
  for (const segment of src.segments().reverse()) {
    for (let i = src.pending.length - 1; i >= 0; i--) {
      const p = src.pending[i];
      if (p?.segment === segment && p.record.id === id)
        return { segment, offset: p.offset, record: p.record };
    }
    const path = segmentPath(src.dir, segment);
    const offset = findLineStartingWith(path, src.committedSize(segment), prefix);
    if (offset === undefined) continue;
    const line = readLineAt(path, offset);
    const record = line && parseRecordLine(line.toString('utf8'));
    if (record) return { segment, offset, record };
  }
  return undefined;
}
