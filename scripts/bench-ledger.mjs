// Ledger benchmark against the compiled core (npm run build:core first): 1M records over 30 days,
// 10 tools × 8 models. Measures append throughput, roll-up totals latency, reopen and query time.
// Run alone (`node scripts/bench-ledger.mjs [records]`) or call runLedgerBench() from scripts/bench.mjs.
import { mkdtemp, rm } from 'node:fs/promises';
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

export async function runLedgerBench({ records = 1_000_000, days = 30, log = console.log } = {}) {
  const { openLedger } = await import(
    pathToFileURL(join(import.meta.dirname, '../dist/main/core/ledger/index.js')).href
  );
  const dir = await mkdtemp(join(tmpdir(), 'shimmy-bench-ledger-'));
  const now = new Date();
  const opts = { dir, timeZone: () => '', retentionDays: () => days + 1, now: () => now };
  const start = now.getTime() - days * DAY_MS;
  const today = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
  const month = today.slice(0, 7);
  const rows = [];
  try {
    let ledger = await openLedger(opts);
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
      'append → fsync’d (incl. building records)',
      `${Math.round(records / (durableMs / 1000)).toLocaleString()} rec/s`,
      `${(durableMs / 1000).toFixed(1)} s`,
    ]);

    const probe = (label, q) => {
      const ms = timeIt(() => ledger.totals(q));
      rows.push([
        `totals ${label}`,
        `${ms.toFixed(3)} ms`,
        `$${ledger.totals(q).costUsd.toFixed(2)} / ${ledger.totals(q).requests} req`,
      ]);
    };
    probe('one tool, today', { day: today, tool: TOOLS[3] });
    probe('one tool, this month', { month, tool: TOOLS[3] });
    probe('all tools, today', { day: today });
    probe('all tools, this month', { month });

    const qMs = timeIt(() => ledger.query({ limit: 50 }), 50);
    rows.push(['query newest 50', `${qMs.toFixed(2)} ms`, '']);
    const fMs = timeIt(() => ledger.query({ limit: 50, tool: TOOLS[3], status: 429 }), 10);
    rows.push(['query 50 (tool + status 429)', `${fMs.toFixed(2)} ms`, '']);
    const gMs = timeIt(() => ledger.get('bench-5'), 1); // once: later calls hit the position cache
    rows.push(['get(oldest id: scans every segment)', `${gMs.toFixed(0)} ms`, '']);
    const cMs = timeIt(() => ledger.query({ limit: 50, before: `bench-${Math.floor(records / 2)}` }), 1);
    rows.push(['query 50 before a mid-history id (uncached)', `${cMs.toFixed(0)} ms`, '']);

    let t = performance.now();
    await ledger.close();
    rows.push(['close (flush + snapshot)', `${(performance.now() - t).toFixed(0)} ms`, '']);
    t = performance.now();
    ledger = await openLedger(opts);
    rows.push([
      'reopen (snapshot, no tail)',
      `${(performance.now() - t).toFixed(0)} ms`,
      `${ledger.totals({}).requests.toLocaleString()} req`,
    ]);
    await ledger.close();

    await rm(join(dir, 'rollups.json'));
    t = performance.now();
    ledger = await openLedger(opts);
    rows.push([
      'reopen (no snapshot: full replay)',
      `${(performance.now() - t).toFixed(0)} ms`,
      `${ledger.totals({}).requests.toLocaleString()} req`,
    ]);
    await ledger.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  log(
    `\nLedger: ${records.toLocaleString()} records, ${days} days, ${TOOLS.length} tools, ${MODELS.length} models`,
  );
  const w = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length))];
  for (const [a, b, c] of rows) log(`  ${a.padEnd(w[0])}  ${b.padStart(w[1])}  ${c}`);
  return rows.map(([metric, value, note]) => ({ metric, value, note }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runLedgerBench({ records: Number(process.argv[2]) || undefined });
}
