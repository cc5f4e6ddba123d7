// Wires the ledger together: replays segment tails into the roll-ups on open, then serves
// appends, roll-up reads, queries, export and retention on top of the batched writer.
import { localDay } from '../clock/calendar.js';
import { mkdir, rm } from 'node:fs/promises';
import type { LedgerRecord, UsageGroup, UsageRow } from '../../../shared/ledger.js';
import type { Ledger, LedgerOptions, LogQuery, UsageQuery } from './types.js';
import { addRecordToBucket, emptyBucket, groupRows, Rollups, type Bucket } from './rollups.js';
import { readSnapshot, serializeSnapshot, writeSnapshot } from './snapshot.js';
import {
  listSegments,
  parseRecordLine,
  readLineAt,
  replaySegment,
  segmentOf,
  segmentPath,
} from './segment-files.js';
import { SegmentWriter } from './segment-writer.js';
import { scanNewestFirst, type Position } from './scan.js';
import { locate, matcher, queryPage, boundsOf } from './query.js';
import { writeRecords } from './export.js';
import { expiredSegments } from './retention.js';
import { syncDir } from './durable-fs.js';

/** Lines written between snapshots: bounds the replay on open after a crash. */
const SNAPSHOT_EVERY = 10_000;
const MAX_CURSORS = 10_000;
const DAY_MS = 86_400_000;
/** Groups the roll-ups do not keep: these read detailed records (the retention window). */
const DETAIL_GROUPS: ReadonlySet<UsageGroup> = new Set(['user', 'project', 'client', 'session']);

export async function openLedger(opts: LedgerOptions): Promise<Ledger> {
  const { dir } = opts;
  const now = opts.now ?? (() => new Date());
  const onError = opts.onError ?? ((err: Error) => process.emitWarning(err));
  const localDayOf = (r: LedgerRecord) => localDay(new Date(r.time), opts.timeZone());

  await mkdir(dir, { recursive: true, mode: 0o700 });
  const snapshot = await readSnapshot(dir, onError);
  // `durable` counts exactly what is on disk (what a snapshot may claim); `live` adds queued records.
  const durable = snapshot?.rollups ?? new Rollups();
  const sizes = new Map<string, number>();
  let replayed = 0;
  for (const name of await listSegments(dir)) {
    const result = await replaySegment(segmentPath(dir, name), snapshot?.counted.get(name) ?? 0, (r) => {
      durable.add(localDayOf(r), r);
      replayed++;
    });
    sizes.set(name, result.size);
    if (result.skipped > 0)
      onError(new Error(`ledger segment ${name}: ${result.skipped} damaged line(s) ignored`));
  }
  const live = durable.clone();
  const staleSnapshot = snapshot !== undefined && [...snapshot.counted.keys()].some((n) => !sizes.has(n));

  let sinceSnapshot = replayed;
  const snapshotNow = async () => {
    const text = serializeSnapshot(durable, writer.committedSizes());
    sinceSnapshot = 0;
    await writeSnapshot(dir, text);
  };
  const writer: SegmentWriter = new SegmentWriter(dir, sizes, {
    onCommitted: async (batch) => {
      for (const p of batch) durable.add(p.day, p.record);
      sinceSnapshot += batch.length;
      if (sinceSnapshot >= SNAPSHOT_EVERY) await snapshotNow();
    },
    onError,
  });
  // A snapshot naming a deleted segment would skip the head of a re-created file of that day.
  if (staleSnapshot || replayed >= SNAPSHOT_EVERY) await writer.exclusive(snapshotNow);

  const src = {
    dir,
    segments: () => writer.segments(),
    committedSize: (s: string) => writer.committedSize(s),
    pending: writer.pending,
  };
  const cursors = new Map<string, Position>();
  const remember = (id: string, pos: Position) => {
    cursors.delete(id);
    cursors.set(id, pos);
    if (cursors.size > MAX_CURSORS) cursors.delete(cursors.keys().next().value as string);
  };
  const findPosition = (id: string): Position | undefined => {
    const cached = cursors.get(id);
    if (cached) return cached;
    const found = locate(src, id);
    if (found) remember(id, found);
    return found;
  };
  const readAt = (pos: Position): LedgerRecord | undefined => {
    const queued = writer.pending.find((p) => p.segment === pos.segment && p.offset === pos.offset);
    if (queued) return queued.record;
    const line = readLineAt(segmentPath(dir, pos.segment), pos.offset);
    return line ? parseRecordLine(line.toString('utf8')) : undefined;
  };

  function usageFromDetail(q: UsageQuery): UsageRow[] {
    // Local days straddle UTC days by up to ±14h: widen the scan, then filter on the exact local day.
    const sinceMs = q.since ? Date.parse(`${q.since}T00:00:00Z`) - DAY_MS : undefined;
    const untilMs = q.until ? Date.parse(`${q.until}T00:00:00Z`) + 2 * DAY_MS : undefined;
    const match = matcher({ tool: q.tool });
    const items: [Partial<Record<UsageGroup, string>>, Bucket][] = [];
    for (const s of scanNewestFirst(src, { sinceMs, untilMs })) {
      const r = match(s);
      if (!r) continue;
      const day = localDayOf(r);
      if ((q.since && day < q.since) || (q.until && day > q.until)) continue;
      const b = emptyBucket();
      addRecordToBucket(b, r);
      items.push([
        {
          tool: r.tool,
          model: r.model,
          day,
          user: r.user,
          project: r.project,
          client: r.client,
          session: r.session,
        },
        b,
      ]);
    }
    // A session belongs to one tool and one client: naming them splits no row and says whose it is.
    const by = q.by.includes('session') ? [...new Set<UsageGroup>(['tool', 'client', ...q.by])] : q.by;
    return groupRows(items, by);
  }

  let closing: Promise<void> | undefined;

  return {
    append(record) {
      const segment = segmentOf(record.time); // throws on a bad time before anything is counted
      // Our own copy: a caller mutating its object later must not make live and durable roll-ups disagree.
      const copy: LedgerRecord = { ...record, usage: { ...record.usage } };
      const day = localDayOf(copy);
      writer.enqueue(copy, segment, day);
      live.add(day, copy);
    },

    totals: (q) => live.totals(q),

    usage(q) {
      if (q.by.some((g) => DETAIL_GROUPS.has(g))) return usageFromDetail(q);
      const items = [...live.entries(q)].map(([key, b]): [Partial<Record<UsageGroup, string>>, Bucket] => [
        key,
        b,
      ]);
      return groupRows(items, q.by);
    },

    query(q) {
      const from = q.before === undefined ? undefined : findPosition(q.before);
      if (q.before !== undefined && !from) return { records: [] };
      const page = queryPage(src, q, from);
      if (!page.last) return { records: page.records };
      remember(page.last.id, page.last);
      return { records: page.records, nextBefore: page.last.id };
    },

    get(id) {
      const cached = cursors.get(id);
      if (cached) {
        const r = readAt(cached);
        if (r?.id === id) return r;
        cursors.delete(id);
      }
      const found = locate(src, id);
      if (found) remember(id, found);
      return found?.record;
    },

    async exportTo(format, q: LogQuery, out) {
      const from = q.before === undefined ? undefined : findPosition(q.before);
      if (q.before !== undefined && !from) return writeRecords(format, [], out);
      const match = matcher(q);
      const limit = q.limit === undefined ? Infinity : Math.max(0, Math.floor(q.limit));
      function* records() {
        let n = 0;
        if (n >= limit) return;
        for (const s of scanNewestFirst(src, boundsOf(q, from))) {
          const r = match(s);
          if (!r) continue;
          yield r;
          if (++n >= limit) return;
        }
      }
      await writeRecords(format, records(), out);
    },

    async prune() {
      await writer.flush();
      await writer.exclusive(async () => {
        // Persist roll-ups first: once a segment is gone its records can never be replayed.
        await snapshotNow();
        const removed: string[] = [];
        for (const name of expiredSegments(writer.segments(), now(), opts.retentionDays())) {
          if (!(await writer.release(name))) continue;
          await rm(segmentPath(dir, name), { force: true });
          removed.push(name);
        }
        if (removed.length === 0) return;
        await syncDir(dir);
        await snapshotNow();
        for (const [id, pos] of cursors) if (removed.includes(pos.segment)) cursors.delete(id);
      });
    },

    flush: () => writer.flush(),

    close() {
      closing ??= (async () => {
        await writer.close();
        await writer.exclusive(snapshotNow);
      })();
      return closing;
    },
  };
}
