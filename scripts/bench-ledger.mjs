// Ledger benchmark against the compiled core (npm run build:core first): 1M records over 30 days,
// 10 tools × 8 models, 50 users, 5 projects, in the SQLite ledger. Measures append throughput, bytes
// per record, roll-up totals, and every dashboard/CLI query: its median time, the longest time the
// event loop (the proxy's) was blocked meanwhile, and peak RSS.
// Run alone (`node scripts/bench-ledger.mjs [records]`) or call runLedgerBench() from scripts/bench.mjs.
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const DAY_MS = 86_400_000;
const TOOLS = Array.from({ length: 10 }, (_, i) => `tool-${i}`);
const MODELS = [
  'gpt-4o',
  'gpt-4o-mini',
  'o3',
  'gpt-4.1',
  'claude-sonnet-4',
  'claude-haiku-4',
  'claude-opus-4',
  'mystery',
];
/** Appends between flushes: keeps the queue (and memory) bounded, like steady traffic. */
const FLUSH_EVERY = 10_000;

function makeRecord(i, start, spanMs, n) {
  const model = MODELS[(i * 7) % MODELS.length];
  return {
    id: `bench-${i}`,
    time: new Date(start + Math.floor((i * spanMs) / n)).toISOString(),
    tool: TOOLS[i % TOOLS.length],
    provider: model.startsWith('claude') ? 'anthropic' : 'openai',
    model,
    family: model.startsWith('claude') ? 'anthropic' : 'openai',
    endpoint: model.startsWith('claude') ? 'messages' : 'chat',
    path: model.startsWith('claude') ? '/v1/messages' : '/v1/chat/completions',
    status: i % 97 === 0 ? 429 : 200,
    latencyMs: 200 + (i % 900),
    ttfbMs: 50 + (i % 200),
    streamed: i % 2 === 0,
    usage: {
      inputTokens: 1000 + (i % 5000),
      cachedInputTokens: i % 300,
      cacheWriteTokens: 0,
      outputTokens: 200 + (i % 800),
      reasoningTokens: 0,
    },
    costUsd: model === 'mystery' ? null : ((i % 1000) + 1) * 1e-6,
    estimated: false,
    cacheHit: false,
    errorClass: i % 97 === 0 ? 'rate_limit' : null,
    user: `user-${i % 50}`,
    ...(i % 3 === 0 ? {} : { project: `project-${i % 5}` }),
  };
}

/** Median time in ms of `fn` over `runs` calls. */
function timeIt(fn, runs = 200) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Runs an async query `runs` times: median ms, the longest event-loop stall meanwhile, peak RSS. */
async function measure(fn, runs = 3) {
  const times = [];
  let blockedMs = 0;
  let rss = process.memoryUsage().rss;
  for (let i = 0; i < runs; i++) {
    const h = monitorEventLoopDelay({ resolution: 1 });
    const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 5);
    h.enable();
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
    h.disable();
    clearInterval(sampler);
    rss = Math.max(rss, process.memoryUsage().rss);
    blockedMs = Math.max(blockedMs, h.max / 1e6);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], blockedMs, rssMb: rss / 1e6 };
}

/** A Writable that only counts bytes: the export's cost without the disk's. */
function sink() {
  let bytes = 0;
  const out = new Writable({
    write(chunk, _enc, cb) {
      bytes += chunk.length;
      cb();
    },
  });
  return { out, bytes: () => bytes };
}

export async function runLedgerBench({ records = 1_000_000, days = 30, log = console.log } = {}) {
  const dist = (p) => pathToFileURL(join(import.meta.dirname, '../dist/main/core', p)).href;
  const { openLedger } = await import(dist('ledger/index.js'));
  const { openSqlite } = await import(dist('store/index.js'));
  const dir = await mkdtemp(join(tmpdir(), 'shimmy-bench-ledger-'));
  const file = join(dir, 'ledger.sqlite');
  const now = new Date();
  const open = async () =>
    openLedger({
      engine: await openSqlite(file),
      timeZone: () => '',
      retentionDays: () => days + 1,
      now: () => now,
    });
  const start = now.getTime() - days * DAY_MS;
  const today = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
  const month = today.slice(0, 7);
  const since = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(now.getTime() - 29 * DAY_MS));
  const rows = [];
  const queries = [];
  try {
    let ledger = await open();
    let appendMs = 0;
    const t0 = performance.now();
    for (let i = 0; i < records; i++) {
      const r = makeRecord(i, start, days * DAY_MS, records);
      const t = performance.now();
      ledger.append(r);
      appendMs += performance.now() - t;
      if (i % FLUSH_EVERY === FLUSH_EVERY - 1) await ledger.flush();
    }
    await ledger.flush();
    const durableMs = performance.now() - t0;
    rows.push([
      'append() call',
      `${Math.round(records / (appendMs / 1000)).toLocaleString()} rec/s`,
      `${((appendMs * 1000) / records).toFixed(2)} µs/rec`,
    ]);
    rows.push([
      'append → committed + fdatasync’d',
      `${Math.round(records / (durableMs / 1000)).toLocaleString()} rec/s`,
      `${(durableMs / 1000).toFixed(1)} s`,
    ]);
    await ledger.close();
    const bytes = ['', '-wal'].reduce((n, s) => n + (existsSync(file + s) ? statSync(file + s).size : 0), 0);
    rows.push([
      'bytes per record (file / records)',
      `${(bytes / records).toFixed(0)} B`,
      `${(bytes / 1e6).toFixed(0)} MB`,
    ]);

    let t = performance.now();
    ledger = await open();
    rows.push([
      'reopen (roll-ups into memory)',
      `${(performance.now() - t).toFixed(0)} ms`,
      `${ledger.totals({}).requests.toLocaleString()} req`,
    ]);

    const probe = (label, q) => {
      const ms = timeIt(() => ledger.totals(q));
      rows.push([`totals ${label}`, `${ms.toFixed(3)} ms`, `$${ledger.totals(q).costUsd.toFixed(2)}`]);
    };
    probe('one tool, today', { day: today, tool: TOOLS[3] });
    probe('one tool, this month', { month, tool: TOOLS[3] });

    const q = async (label, fn, note = () => '') => {
      let value;
      const m = await measure(async () => {
        value = await fn();
      });
      queries.push({ query: label, ...m, note: note(value) });
    };
    const n = (v) => `${v.length} rows`;
    const recs = (v) => `${v.records.length} records`;
    await q(
      'overview (totals per tool, today + month)',
      () => TOOLS.map((tool) => [ledger.totals({ day: today, tool }), ledger.totals({ month, tool })]),
      () => '',
    );
    await q('30-day chart by tool', () => ledger.usage({ since, by: ['day', 'tool'] }), n);
    await q('30-day chart by model', () => ledger.usage({ since, by: ['day', 'model'] }), n);
    for (const g of ['tool', 'model', 'day', 'user', 'project'])
      await q(`usage --by ${g}`, () => ledger.usage({ by: [g] }), n);
    await q('usage --by user,model (detail)', () => ledger.usage({ by: ['user', 'model'] }), n);
    await q('log: newest 100', () => ledger.query({ limit: 100 }), recs);
    await q(
      'log: tool + model + status 429',
      () => ledger.query({ tool: TOOLS[3], model: MODELS[2], status: 429 }),
      recs,
    );
    await q(
      'log: filter matching nothing',
      () => ledger.query({ tool: 'no-such-tool', model: MODELS[1] }),
      recs,
    );
    await q('log: text "user-7" (scans)', () => ledger.query({ text: 'user-7' }), recs);
    await q('log: text matching nothing (scans all)', () => ledger.query({ text: 'zzz-nothing' }), recs);
    await q(
      'log: page before a mid-history id',
      () => ledger.query({ limit: 100, before: `bench-${Math.floor(records / 2)}` }),
      recs,
    );
    await q(
      'request detail (get by id)',
      () => ledger.get(`bench-${Math.floor(records / 3)}`),
      (v) => (v ? 'found' : 'missing'),
    );
    await q(
      'CSV export of a month',
      async () => {
        const s = sink();
        await ledger.exportTo('csv', { since: new Date(now.getTime() - 30 * DAY_MS) }, s.out);
        return s.bytes();
      },
      (b) => `${(b / 1e6).toFixed(0)} MB`,
    );
    t = performance.now();
    await ledger.close();
    rows.push(['close', `${(performance.now() - t).toFixed(0)} ms`, '']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  log(
    `\nLedger (SQLite): ${records.toLocaleString()} records, ${days} days, ${TOOLS.length} tools, ${MODELS.length} models`,
  );
  const w = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length))];
  for (const [a, b, c] of rows) log(`  ${a.padEnd(w[0])}  ${b.padStart(w[1])}  ${c}`);
  const qw = Math.max(...queries.map((r) => r.query.length));
  log(`  ${'query'.padEnd(qw)}  ${'median'.padStart(9)}  ${'blocked'.padStart(8)}  ${'RSS'.padStart(7)}`);
  for (const r of queries)
    log(
      `  ${r.query.padEnd(qw)}  ${`${r.ms.toFixed(1)} ms`.padStart(9)}  ${`${r.blockedMs.toFixed(1)} ms`.padStart(8)}  ${`${r.rssMb.toFixed(0)} MB`.padStart(7)}  ${r.note}`,
    );
  const slowest = Math.max(...queries.map((r) => r.ms));
  const blocked = Math.max(...queries.map((r) => r.blockedMs));
  const peak = Math.max(...queries.map((r) => r.rssMb));
  log(
    `  Targets at 1M records: each query ≤ 100 ms, event loop blocked ≤ 10 ms, RSS ≤ 250 MB, ≤ 400 B/record` +
      `\n  here: slowest ${slowest.toFixed(0)} ms, longest block ${blocked.toFixed(1)} ms, peak RSS ${peak.toFixed(0)} MB`,
  );
  return [...rows.map(([metric, value, note]) => ({ metric, value, note })), ...queries];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runLedgerBench({ records: Number(process.argv[2]) || undefined });
}
