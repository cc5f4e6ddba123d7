// The ledger bench's query pass, in a fresh process that opens the generated ledger like a
// restarted `shimmy serve`: so RSS is the ledger's own, not the generator's leftovers.
// argv[2]: JSON { file, now, days, records }. Prints one JSON line: { reopenMs, idle, queries }.
// The idle control is interleaved: an idle window right before each query (IDLE_MS; an export's,
// EXPORT_IDLE_MS), so it sees the same process state — its JIT, heap and threads warmed by the
// queries before it — and the same moment of the machine's load as the query it is set beside.
// (Until 2026-11-28 one 2 s window right after the reopen: the reopen's own garbage and JIT in it,
// 5–17 ms, which the queries after it never saw.)
import { DAY_MS, MODELS, TOOLS, openBenchLedger } from './ledger-data.mjs';
import { idleStall, measure, socketSink } from './ledger-measure.mjs';

const { file, now: nowIso, days, records, only } = JSON.parse(process.argv[2]);
/** bench-ledger.mjs --only: the queries whose name matches run, the others are skipped. */
const wanted = (name) => !only || new RegExp(only, 'i').test(name);
const now = new Date(nowIso);
const day = (t) =>
  new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(t);
const today = day(now);
const month = today.slice(0, 7);
const since = day(new Date(now.getTime() - 29 * DAY_MS));

let t = performance.now();
const ledger = await openBenchLedger(file, now, days);
const reopenMs = performance.now() - t;
// Warmed as a serving process is by the time someone asks: the read worker started (a dashboard's
// first query does that) and the reopen's garbage collected by the time the first window opens
// (its scavenges were 10–15 ms of the first window, and a 40 ms mark-compact in the first
// export of an --only run). Not all of it: a scavenge waits for an allocation, so the reopen's
// young generation (18.3 → 13.9 MB, 15.4 ms, --trace-gc, round 19) is still collected in the first
// query's turn, the overview's.
await ledger.query({ limit: 1 });
await new Promise((r) => setTimeout(r, 1000));

const IDLE_MS = 300;
const EXPORT_IDLE_MS = 2000;
const idles = [];
/** An idle window before a query; its longest stall is shown beside the query's. */
const idleBefore = async (ms) => {
  const w = await idleStall(ms);
  idles.push(w);
  return w;
};

const queries = [];
/** The proxy thread's longest stretch on a CPU, when it is not the longest block's. */
const busiestText = (m) =>
  m.busiest.cpuMs > m.block.cpuMs
    ? `; busiest: ${m.busiest.cpuMs.toFixed(1)} ms on a CPU in a ${m.busiest.ms.toFixed(1)} ms block${m.busiest.gc.length ? ` (GC: ${m.busiest.gc.join(' + ')} ms)` : ''}`
    : '';
const q = async (query, fn, note = () => '') => {
  if (!wanted(query)) return;
  const idle = await idleBefore(IDLE_MS);
  const m = await measure(fn);
  queries.push({
    idleBlockedMs: idle.blockedMs,
    idleBlock: idle.block,
    block: m.block,
    query,
    ms: m.ms,
    cpuMs: m.cpuMs,
    blockedMs: m.blockedMs,
    p99Ms: m.p99Ms,
    rssMb: m.rssMb,
    note: `${note(m.value)}${note(m.value) ? '; ' : ''}proxy thread CPU ${m.mainCpuMs.toFixed(1)} ms${busiestText(m)}`,
    why: m.why,
  });
};
const rows = (v) => `${v.length} rows`;
const recs = (v) => `${v.records.length} records`;

await q('overview (totals per tool, today + month)', async () =>
  TOOLS.map((tool) => [ledger.totals({ day: today, tool }), ledger.totals({ month, tool })]),
);
await q('30-day chart by tool', () => ledger.usage({ since, by: ['day', 'tool'] }), rows);
await q('30-day chart by model', () => ledger.usage({ since, by: ['day', 'model'] }), rows);
for (const g of ['tool', 'model', 'day', 'user', 'project'])
  await q(`usage --by ${g}`, () => ledger.usage({ by: [g] }), rows);
await q('usage --by user,model (wide roll-up)', () => ledger.usage({ by: ['user', 'model'] }), rows);
await q('usage --by user,project,model', () => ledger.usage({ by: ['user', 'project', 'model'] }), rows);
await q(
  'usage --by day,tool,user (30 days)',
  () => ledger.usage({ since, by: ['day', 'tool', 'user'] }),
  rows,
);
await q(
  '/api/plans: a week of plan traffic',
  () => ledger.planTraffic(new Date(now.getTime() - 7 * DAY_MS)),
  rows,
);
await q('log: newest 100', () => ledger.query({ limit: 100 }), recs);
await q('log: status 429', () => ledger.query({ status: 429 }), recs);
await q(
  'log: tool + model + status 429',
  () => ledger.query({ tool: TOOLS[2], model: MODELS[2], status: 429 }),
  recs,
);
await q('log: filter matching nothing', () => ledger.query({ tool: 'no-such-tool', model: MODELS[1] }), recs);
await q('log: tool + model (a pair)', () => ledger.query({ tool: TOOLS[2], model: MODELS[2] }), recs);
await q(
  'log: a tool + model pair with no record',
  () => ledger.query({ tool: TOOLS[1], model: MODELS[0] }),
  recs,
);
await q('log: text "user-7"', () => ledger.query({ text: 'user-7' }), recs);
await q('log: text "rate_limit" (1 in 97)', () => ledger.query({ text: 'rate_limit' }), recs);
await q('log: text matching nothing', () => ledger.query({ text: 'zzz-nothing' }), recs);
await q('log: text, an id prefix', () => ledger.query({ text: `bench-${Math.floor(records / 7)}` }), recs);
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

// The month's export once per format (it is long): total time, time to its first record line,
// stalls, RSS, written to a socket as an HTTP response is.
for (const format of ['csv', 'jsonl']) {
  if (!wanted(`${format.toUpperCase()} export`)) continue;
  const sink = await socketSink(format === 'csv' ? 1 : 0);
  const idle = await idleBefore(EXPORT_IDLE_MS);
  const m = await measure(async () => {
    sink.start();
    await ledger.exportTo(format, { since: new Date(now.getTime() - 30 * DAY_MS) }, sink.out);
  }, 1);
  await sink.close();
  const { bytes, firstRowMs } = sink.stats();
  const probeMs = (idle.mainCpuMs / idle.ms) * m.ms;
  const name = format.toUpperCase();
  queries.push({
    idleBlockedMs: idle.blockedMs,
    idleBlock: idle.block,
    block: m.block,
    query: `${name} export of a month: first record`,
    ms: firstRowMs ?? m.ms,
    cpuMs: undefined,
    blockedMs: m.blockedMs,
    p99Ms: m.p99Ms,
    rssMb: m.rssMb,
    note: '',
    why: m.why,
  });
  queries.push({
    idleBlockedMs: idle.blockedMs,
    idleBlock: idle.block,
    block: m.block,
    query: `${name} export of a month: all of it (streamed)`,
    ms: m.ms,
    cpuMs: m.cpuMs,
    blockedMs: m.blockedMs,
    p99Ms: m.p99Ms,
    rssMb: m.rssMb,
    note:
      `${(bytes / 1e6).toFixed(0)} MB, ${(bytes / 1e6 / (m.ms / 1000)).toFixed(1)} MB/s; proxy thread CPU ${m.mainCpuMs.toFixed(0)} ms ` +
      // The 1 ms probes' own wake-ups are in it: the idle window before, at the same rate, says how
      // much. Round 21's 1,765 ms was read as the export's formatting; it was mostly the probe's.
      `(idle window before: ${probeMs.toFixed(0)} ms over as long: the export's own ≈ ${Math.max(0, m.mainCpuMs - probeMs).toFixed(0)} ms), ` +
      `its GC pauses: scavenge ${m.gcPause.scavenge.toFixed(0)} ms, mark-compact ${m.gcPause['mark-compact'].toFixed(0)} ms` +
      busiestText(m),
    why: m.why,
    long: true,
  });
}

t = performance.now();
await ledger.close();
const closeMs = performance.now() - t;
// The control over every window: its longest stall (with what it was), its median window's, RSS.
const worst = idles.reduce((a, b) => (b.blockedMs > a.blockedMs ? b : a), idles[0] ?? { blockedMs: 0 });
const sorted = idles.map((w) => w.blockedMs).sort((a, b) => a - b);
const idle = {
  blockedMs: worst.blockedMs,
  medianMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
  windows: idles.length,
  p99Ms: Math.max(0, ...idles.map((w) => w.p99Ms)),
  rssMb: Math.max(0, ...idles.map((w) => w.rssMb)),
  block: worst.block,
  why: worst.why,
};
process.stdout.write(`${JSON.stringify({ reopenMs, closeMs, idle, queries })}\n`);
