// The CSV export is written by SQL on SQLite's read worker (store/csv-sql.ts) and by csvLine in
// JavaScript elsewhere: both must write the very same bytes for any record, page after page.
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { LedgerRecord } from '../../../shared/ledger.js';
import type { Ledger } from '../../../main/core/ledger/index.js';
import { csvHeader, csvLine } from '../../../main/core/ledger/export.js';
import type { KyselyPlugin } from 'kysely';
import { openLedger } from '../../../main/core/ledger/index.js';
import { describeEngines, exportedText, openEngine, record, seededOnce } from './helpers.js';

const TEXTS = [
  'plain',
  'Smith, "J"',
  '=SUM(A1)',
  '+1',
  '-x',
  '@me',
  '\tlead',
  'two\nlines',
  'cr\rhere',
  'ünï ✓',
  '',
];

/** 2,500 records (more than one export page) with every kind of field value. */
function varied(): LedgerRecord[] {
  const start = Date.UTC(2024, 4, 1);
  return Array.from({ length: 2500 }, (_, i) => {
    const t = TEXTS[i % TEXTS.length]!;
    return record({
      id: i % 97 === 0 ? `-id${i}` : `id${i}`,
      time: new Date(start + i * 61_001).toISOString(),
      tool: i % 3 === 0 ? t || 'aider' : 'aider',
      model: i % 5 === 0 ? 'gpt-4o' : 'gpt-4o-mini',
      status: i % 7 === 0 ? 429 : 200,
      latencyMs: Math.round(((i * 37.13) % 5000) * 100) / 100, // to 0.01 ms, as the proxy rounds
      ttfbMs: i % 4 === 0 ? null : Math.round(i * 1.7 * 100) / 100,
      streamed: i % 2 === 0,
      costUsd: i % 11 === 0 ? null : i % 13 === 0 ? 0 : (i * 123_457) / 1e10,
      estimated: i % 17 === 0,
      cacheHit: i % 19 === 0,
      ...(i % 6 === 0 ? { savedUsd: (i * 7) / 1e10 } : {}),
      errorClass: i % 7 === 0 ? 'rate_limit' : null,
      ...(i % 2 === 0 ? { user: t } : {}),
      ...(i % 3 === 1 ? { project: TEXTS[(i + 3) % TEXTS.length] } : {}),
      ...(i % 4 === 1 ? { keyLabel: 'work' } : {}),
      ...(i % 9 === 0 ? { failovers: ['anthropic', i % 2 ? 'open,router' : 'x'] } : {}),
      ...(i % 10 === 0 ? { failovers: [] } : {}),
      ...(i % 5 === 2 ? { client: 'claude-cli/2.1.0', session: `s-${i}` } : {}),
    });
  });
}

/** One record whose time is not in toISOString's form: kept verbatim (and the newest). */
const odd = record({ id: 'odd-time', time: '2024-06-01T00:00:00Z' });

describeEngines('CSV export bytes', (kind) => {
  let ledger: Ledger;
  // Every test only reads: the records are written once, and each test opens its own ledger on them.
  const seeded = seededOnce(kind, () => [...varied(), odd]);
  beforeEach(async () => {
    ledger = await seeded.open();
  });
  afterEach(async () => {
    await ledger.close();
  });

  async function exported(q = {}): Promise<string> {
    return exportedText(ledger, 'csv', q);
  }

  it('writes what csvLine writes for every record, newest first, across pages, with filters and limit', async () => {
    const newest = [odd, ...varied().reverse()];
    expect(await exported()).toBe(csvHeader() + newest.map(csvLine).join(''));
    const f = newest.filter((r) => r.model === 'gpt-4o' && r.status === 429);
    expect(await exported({ model: 'gpt-4o', status: 429 })).toBe(csvHeader() + f.map(csvLine).join(''));
    expect(await exported({ limit: 1001 })).toBe(csvHeader() + newest.slice(0, 1001).map(csvLine).join(''));
  });

  it('hands this thread the records as bytes in chunks of at most 64 kB, only the header as text', async () => {
    const chunks: { kind: string; size: number }[] = [];
    const out = new Writable({
      decodeStrings: false,
      write(chunk: unknown, _enc, cb) {
        chunks.push(
          typeof chunk === 'string'
            ? { kind: 'string', size: chunk.length }
            : { kind: 'bytes', size: (chunk as Uint8Array).length },
        );
        cb();
      },
    });
    await ledger.exportTo('csv', {}, out);
    expect(chunks[0]).toEqual({ kind: 'string', size: csvHeader().length });
    const rest = chunks.slice(1);
    // 2,500 records of ~170 bytes: a few 64 kB chunks, all bytes (no string for this thread's heap).
    expect(rest.length).toBeGreaterThan(3);
    expect(rest.every((c) => c.kind === 'bytes' && c.size <= 64 * 1024)).toBe(true);
  });

  it('compiles its page query once here and runs every page off this thread', async () => {
    await ledger.close();
    let rows = 0;
    // Page queries (the one with a CTE) built and compiled on this thread: Kysely's builders and
    // compiler for ~11 kB of SQL were most of the proxy thread's time and garbage per page.
    let compiled = 0;
    let queries = 0;
    const counter: KyselyPlugin = {
      transformQuery: (a) => {
        queries++;
        if (a.node.kind === 'SelectQueryNode' && a.node.with) compiled++;
        return a.node;
      },
      transformResult: (a) => {
        rows += a.result.rows.length;
        return Promise.resolve(a.result);
      },
    };
    const engine = await openEngine(kind, seeded.dir);
    ledger = await openLedger({
      engine: { ...engine, reader: engine.reader.withPlugin(counter), close: () => engine.close() },
      timeZone: () => 'UTC',
      retentionDays: () => 30,
    });
    rows = 0;
    const out = new PassThrough();
    out.resume();
    await ledger.exportTo('csv', {}, out);
    // The pages (1,000 lines each) run on the worker (SQLite's read worker, Postgres's export
    // worker): no row of them reaches this thread.
    expect(rows).toBe(0);
    expect(compiled).toBe(1);
    // JSONL's pages (500 records each) run one compiled query too, on the worker as well.
    queries = 0;
    const lines = new PassThrough();
    lines.resume();
    await ledger.exportTo('jsonl', {}, lines);
    expect(queries).toBe(1);
    expect(rows).toBe(0);
  });
});
