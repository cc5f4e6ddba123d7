// Which day segments retention may delete: only files whose whole UTC day is older than the
// cutoff, so no record younger than retentionDays is ever dropped (some live up to a day longer).
import { segmentSpan } from './segment-files.js';

const DAY_MS = 86_400_000;

export function expiredSegments(segments: readonly string[], now: Date, retentionDays: number): string[] {
  if (!Number.isFinite(retentionDays) || retentionDays <= 0) return [];
  const cutoff = now.getTime() - retentionDays * DAY_MS;
  return segments.filter((s) => segmentSpan(s).end <= cutoff);
}
