// First start on a data dir of the JSONL version: its history goes into the database once.
// Detail comes from the day files; the tool × model × day roll-ups come from the snapshot plus
// the files' tails (exactly what that version counted — including days retention had already
// pruned), so totals match to the cent. The import is verified against those roll-ups before the
// folder is renamed aside (never deleted); an interrupted import is wiped and redone.
import { access, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { LedgerRecord } from '../../../../shared/ledger.js';
import type { LedgerEngine, RollupDelta } from '../../store/ledger-engine.js';
import { toE10, toRow, type RequestRow } from '../../store/record-row.js';
import { rollupEntries } from '../../store/ledger-queries.js';
import { Rollups, type RollupEntry } from '../rollups.js';
import { narrowDeltas, wideDeltas } from '../write-queue.js';
import { separateLegacyDays } from '../../store/migrations.js';
import { upsertRollups } from '../../store/statements.js';
import type { Kysely } from 'kysely';
import type { LedgerSchema, RollupTable } from '../../store/schema.js';
import { KnownTerms } from '../search-terms.js';
import { listSegments, replaySegment, segmentPath } from './segment-files.js';
import { readSnapshot, SNAPSHOT_FILE } from './snapshot.js';

const META_KEY = 'jsonl_import';
const BATCH = 5000;
/** Where the JSONL folder goes once its import is verified. */
export const IMPORTED_SUFFIX = '.imported';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function modelDeltas(rollups: Rollups): RollupDelta[] {
  return rollups.toEntries().map(([day, tool, model, ...v]) => ({
    table: 'rollup_model',
    day,
    tool,
    key: model,
    sums: {
      requests: v[0] ?? 0,
      input_tokens: v[1] ?? 0,
      cached_input_tokens: v[2] ?? 0,
      cache_write_tokens: v[3] ?? 0,
      output_tokens: v[4] ?? 0,
      reasoning_tokens: v[5] ?? 0,
      cost_e10: toE10(v[6] ?? 0),
      unpriced: v[7] ?? 0,
      saved_e10: toE10(v[8] ?? 0),
      cache_write_1h_tokens: v[9] ?? 0,
      web_search_requests: v[10] ?? 0,
    },
  }));
}

/** Rows per narrow roll-up upsert: 14 parameters a row, far below SQLite's 32,766. */
const NARROW_CHUNK = 500;

async function upsertNarrow(db: Kysely<LedgerSchema>, deltas: readonly RollupDelta[]): Promise<void> {
  for (const table of ['rollup_model', 'rollup_user', 'rollup_project'] as RollupTable[]) {
    const mine = deltas.filter((d) => d.table === table);
    for (let i = 0; i < mine.length; i += NARROW_CHUNK)
      await upsertRollups(db, table, mine.slice(i, i + NARROW_CHUNK)).execute();
  }
}

const canonical = (entries: RollupEntry[]) => entries.map((e) => JSON.stringify(e)).sort();

export async function importJsonlLedger(a: {
  engine: LedgerEngine;
  dir: string;
  localDayOf: (time: string) => string;
  onError: (err: Error) => void;
}): Promise<{ imported: number } | undefined> {
  const { engine, dir } = a;
  if (!(await exists(dir))) return undefined;
  const names = await listSegments(dir);
  if (names.length === 0 && !(await exists(join(dir, SNAPSHOT_FILE)))) return undefined;
  const db = engine.writer;
  const state = await db.selectFrom('meta').select('value').where('key', '=', META_KEY).executeTakeFirst();
  if (state?.value !== 'verified') {
    if (state?.value === 'started') {
      // A previous import was cut short; nothing else was written since (it runs before any append).
      for (const t of ['requests', 'rollup_model', 'rollup_user', 'rollup_project', 'rollup_wide'] as const)
        await db.deleteFrom(t).execute();
    }
    await db
      .insertInto('meta')
      .values({ key: META_KEY, value: 'started' })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: 'started' }))
      .execute();

    const snapshot = await readSnapshot(dir, a.onError);
    const expected = snapshot?.rollups ?? new Rollups();
    let rows: RequestRow[] = [];
    let imported = 0;
    const known = new KnownTerms();
    const writeRows = async () => {
      const batch = rows;
      rows = [];
      // Detail with its wide roll-up, and the per-user/per-project narrow ones (for the days the
      // snapshot outlived their detail, those are all there is; separateLegacyDays sorts it out).
      const terms = known.fresh(batch);
      await engine.write({ records: batch, rollups: wideDeltas(batch), reserve: [], settle: [], terms });
      known.remember(terms);
      await upsertNarrow(
        db,
        narrowDeltas(batch).filter((d) => d.table !== 'rollup_model'),
      );
    };
    for (const name of names) {
      const counted = snapshot?.counted.get(name) ?? 0;
      const pending: LedgerRecord[] = [];
      const result = await replaySegment(segmentPath(dir, name), 0, (r, offset) => {
        if (offset >= counted) expected.add(a.localDayOf(r.time), r);
        pending.push(r);
      });
      if (result.skipped > 0)
        a.onError(new Error(`ledger segment ${name}: ${result.skipped} damaged line(s) not imported`));
      for (const r of pending) {
        rows.push(toRow(r, a.localDayOf(r.time)));
        imported++;
        if (rows.length >= BATCH) await writeRows();
      }
    }
    if (rows.length > 0) await writeRows();
    await upsertNarrow(db, modelDeltas(expected));
    // Days whose detail is all there are answered by the wide roll-up; the others by the narrow ones.
    await separateLegacyDays(db as Kysely<unknown>);

    const got = canonical(await rollupEntries(db));
    const want = canonical(expected.toEntries());
    if (got.length !== want.length || got.some((g, i) => g !== want[i]))
      throw new Error(
        `importing the JSONL ledger in ${dir} did not verify (roll-ups differ); the files are kept as they were`,
      );
    await db.updateTable('meta').set({ value: 'verified' }).where('key', '=', META_KEY).execute();
    await setAside(dir);
    return { imported };
  }
  await setAside(dir);
  return undefined;
}

async function setAside(dir: string): Promise<void> {
  let target = `${dir}${IMPORTED_SUFFIX}`;
  if (await exists(target)) target = `${target}-${Date.now()}`;
  await rename(dir, target);
}
