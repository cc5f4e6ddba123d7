// Ledger benchmark against the compiled core (npm run build:core first): N records (1M by default)
// over 30 days, 10 tools × 8 models, 50 users, 5 projects, in the SQLite ledger. Measures how fast
// the ledger's own append path fills it, bytes per record, then — in a fresh process that reopens
// it like a restarted `shimmy serve` — every dashboard/CLI query: its median time, the longest
// time the event loop (the proxy's) was blocked meanwhile, and peak RSS, against issue 15's
// targets (≤ 100 ms at 1M records, ≤ 10 ms blocked, ≤ 250 MB RSS, ≤ 400 B/record).
// `node scripts/bench-ledger.mjs [records] [--keep FILE]` (--keep reuses/keeps the database), or
// runLedgerBench() from scripts/bench.mjs (`npm run bench -- --ledger-records N`).
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { MODELS, TOOLS, generate } from './bench/ledger-data.mjs';

const DAYS = 30;
const TARGET = { ms: 100, blockedMs: 10, rssMb: 250, bytesPerRecord: 400 };

const fileBytes = (file) =>
  ['', '-wal'].reduce((n, s) => n + (existsSync(file + s) ? statSync(file + s).size : 0), 0);

/** The query pass in its own process; bounded in time like every load loop of the bench. */
async function queryPass(file, now, records) {
  const child = join(import.meta.dirname, 'bench/ledger-query-child.mjs');
  const arg = JSON.stringify({ file, now: now.toISOString(), days: DAYS, records });
  const { stdout } = await promisify(execFile)(process.execPath, [child, arg], {
    timeout: 30 * 60_000,
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop());
}

export async function runLedgerBench({ records = 1_000_000, keep, log = console.log } = {}) {
  const dir = keep ? undefined : await mkdtemp(join(tmpdir(), 'shimmy-bench-ledger-'));
  const file = keep ?? join(dir, 'ledger.sqlite');
  // Records end now; a kept database was filled for its own "now", kept beside it in the name.
  const now = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 12 * 3_600_000);
  const rows = [];
  let result;
  let perRecord;
  try {
    if (!keep || !existsSync(file)) {
      const { appendMs, durableMs } = await generate({ file, records, days: DAYS, now });
      rows.push([
        'append() call',
        `${Math.round(records / (appendMs / 1000)).toLocaleString()} rec/s`,
        `${((appendMs * 1000) / records).toFixed(2)} µs/rec`,
      ]);
      rows.push([
        'append → committed + fdatasync’d (fill)',
        `${Math.round(records / (durableMs / 1000)).toLocaleString()} rec/s`,
        `${(durableMs / 1000).toFixed(1)} s`,
      ]);
    }
    const bytes = fileBytes(file);
    perRecord = bytes / records;
    rows.push([
      'bytes per record (file / records)',
      `${(bytes / records).toFixed(0)} B`,
      `${(bytes / 1e6).toFixed(0)} MB`,
    ]);
    result = await queryPass(file, now, records);
    rows.push(['reopen (roll-ups into memory)', `${result.reopenMs.toFixed(0)} ms`, '']);
    rows.push([
      'idle control: longest stall (p99), RSS',
      `${result.idle.blockedMs.toFixed(1)} ms (${(result.idle.p99Ms ?? 0).toFixed(1)})`,
      `${result.idle.rssMb.toFixed(0)} MB (the machine's own noise)`,
    ]);
    rows.push(['close', `${result.closeMs.toFixed(0)} ms`, '']);
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
  const { queries } = result;
  log(
    `\nLedger (SQLite): ${records.toLocaleString()} records, ${DAYS} days, ${TOOLS.length} tools, ${MODELS.length} models`,
  );
  const w = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length))];
  for (const [a, b, c] of rows) log(`  ${a.padEnd(w[0])}  ${b.padStart(w[1])}  ${c}`);
  const qw = Math.max(...queries.map((r) => r.query.length));
  const mark = (ok) => (ok ? ' ' : '!');
  log(
    `  ${'query'.padEnd(qw)}  ${'median'.padStart(10)}  ${'blocked'.padStart(9)}  ${'p99'.padStart(7)}  ${'RSS'.padStart(7)}`,
  );
  for (const r of queries)
    log(
      `  ${r.query.padEnd(qw)}  ${`${r.ms.toFixed(1)} ms`.padStart(9)}${mark(r.long || r.ms <= TARGET.ms)}` +
        `  ${`${r.blockedMs.toFixed(1)} ms`.padStart(8)}${mark(r.blockedMs <= TARGET.blockedMs)}` +
        `  ${`${(r.p99Ms ?? 0).toFixed(1)} ms`.padStart(7)}` +
        `  ${`${r.rssMb.toFixed(0)} MB`.padStart(6)}${mark(r.rssMb <= TARGET.rssMb)}  ${r.note}`,
    );
  const timed = queries.filter((r) => !r.long);
  const slowest = timed.reduce((a, b) => (b.ms > a.ms ? b : a));
  const blocked = Math.max(...queries.map((r) => r.blockedMs));
  const peak = Math.max(...queries.map((r) => r.rssMb));
  log(
    `  Targets (issue 15, at 1M records): each query ≤ ${TARGET.ms} ms (the full export excepted: its first record),` +
      ` blocked ≤ ${TARGET.blockedMs} ms (p99: the 99th percentile of a 1 ms probe's delays), RSS ≤ ${TARGET.rssMb} MB, ≤ ${TARGET.bytesPerRecord} B/record; ! = missed` +
      `\n  here: slowest ${slowest.ms.toFixed(0)} ms (${slowest.query}), longest block ${blocked.toFixed(1)} ms` +
      ` (idle control ${result.idle.blockedMs.toFixed(1)} ms), peak RSS ${peak.toFixed(0)} MB, ${perRecord.toFixed(0)} B/record`,
  );
  return [...rows.map(([metric, value, note]) => ({ metric, value, note })), ...queries];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { keep: { type: 'string' } },
  });
  await runLedgerBench({ records: Number(positionals[0]) || undefined, keep: values.keep });
}
