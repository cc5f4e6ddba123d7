// Issue 16's first-render figure: how long the dashboard takes to show its data with a 1M-record
// ledger, in headless Chromium (Debian's /usr/bin/chromium), beside an empty ledger in the same run.
//
// "First meaningful render" (FMR), timed in the page from the start of the navigation (the one-time
// login link's redirect included, as when the tray or `shimmy dashboard` opens it; fresh browser
// context each round, so no cached assets), polled every animation frame:
//   overview — the Today and This-month tiles show their amounts and every tool has its card;
//   requests — then, in the same context, `/#/live` opened as a new page: the request list shows
//              its first rows (the newest records).
// Beside it, the page's main-thread CPU time until the overview's FMR (Chromium's thread-time
// metrics), which a loaded machine inflates far less than the wall time. The 30-day chart (lazy,
// below the fold) is timed too but is not part of the FMR. Median of --rounds rounds per ledger
// (the empty one holds a single request, so its list has a row); one unmeasured visit each first
// (the first admin request loads the admin app: start-up, not render). What the last round of each
// loaded is listed, in page time, with each answer's time to first byte (mostly the server's).
//
// The ledger: --records records (1M) over 30 days, 10 tools × 8 models, 50 users, 5 projects
// (ledger-data.mjs, the ledger bench's generator, through the ledger's own batched append path:
// ~1 min at load 7), in a child process with a time limit. The filled file is cached under
// test-artifacts/dashboard-render/ and reused while it is valid: same record count, same UTC day
// (its records end at the moment of the fill, so "today" has spend), same generator and
// migrations; each run opens a copy, so the cache never changes.
//
// `node scripts/bench/dashboard-render.mjs [--records N] [--rounds N] [--before DIR]` after
// `npm run build:core` (it rebuilds the dashboard itself), or `npm run bench -- --dashboard-render
// 1000000`. --before DIR: the same ledger also served with an older dashboard build (its
// dist/renderer), in the same interleaved rounds.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { buildRenderer, launchBrowser, spawnDashChild } from './dashboards.mjs';
import { TOOLS, generate } from './ledger-data.mjs';

const ROOT = join(import.meta.dirname, '../..');
const CACHE_DIR = join(ROOT, 'test-artifacts/dashboard-render');
const DAYS = 30;
const FILL_LIMIT_MS = 10 * 60_000;
const TARGET_MS = 1000;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');

/** What makes a cached ledger stale besides its size and day: the generator and the schema. */
function cacheKey(records) {
  const h = createHash('sha256');
  for (const f of ['scripts/bench/ledger-data.mjs', 'dist/main/core/store/migrations.js'])
    h.update(existsSync(join(ROOT, f)) ? readFileSync(join(ROOT, f)) : f);
  const day = new Date().toISOString().slice(0, 10);
  return `ledger-${records}-${day}-${h.digest('hex').slice(0, 12)}.sqlite`;
}

/** A filled ledger file for `records` records: the cached one, or a fresh fill (bounded in time). */
async function filledLedger(records, log) {
  await mkdir(CACHE_DIR, { recursive: true });
  const file = join(CACHE_DIR, cacheKey(records));
  if (existsSync(file)) {
    log(`  ${records.toLocaleString('en-US')}-record ledger: cached (${file})`);
    return file;
  }
  for (const old of await readdir(CACHE_DIR)) await rm(join(CACHE_DIR, old), { force: true });
  const partial = join(CACHE_DIR, `filling-${process.pid}.sqlite`);
  const t = performance.now();
  await promisify(execFile)(
    process.execPath,
    [import.meta.filename, '--fill', partial, '--records', String(records)],
    { timeout: FILL_LIMIT_MS, killSignal: 'SIGKILL' },
  ).catch(async (err) => {
    for (const f of await readdir(CACHE_DIR)) if (f.startsWith('filling-')) await rm(join(CACHE_DIR, f));
    throw new Error(`filling the ledger failed or took over ${FILL_LIMIT_MS / 60_000} min: ${err.message}`);
  });
  // The ledger was closed (checkpointed): the .sqlite alone is the whole database.
  if (existsSync(`${partial}-wal`) && statSync(`${partial}-wal`).size > 0)
    throw new Error(`the filled ledger was left with a write-ahead log (${partial}-wal)`);
  await rm(`${partial}-wal`, { force: true });
  await rm(`${partial}-shm`, { force: true });
  await rename(partial, file);
  log(
    `  filled a ${records.toLocaleString('en-US')}-record ledger in ${((performance.now() - t) / 1000).toFixed(0)} s (load ${load()}); cached for today`,
  );
  return file;
}

/** A Shimmy child on a fresh data dir holding a copy of `ledger` (or an empty ledger). */
async function startTarget(ledger, rendererDir) {
  const dir = await mkdtemp(join(tmpdir(), 'shimmy-bench-render-'));
  if (ledger) await copyFile(ledger, join(dir, 'ledger.sqlite'));
  const child = await spawnDashChild('shimmy', {
    BENCH_DATA_DIR: dir,
    BENCH_TOOLS: JSON.stringify(TOOLS),
    ...(rendererDir ? { BENCH_RENDERER_DIR: rendererDir } : {}),
  });
  return {
    ...child,
    async stop() {
      await child.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// Runs in the page (this file is linted as Node code): polled every frame until it returns truthy.
function overviewShown(tools) {
  const w = globalThis;
  const q = (s) => w.document.querySelector(s);
  const tile = (id) => q(`[data-testid="${id}"] .tile-value`)?.textContent ?? '';
  const bars = q('[data-testid="spend-chart"] .recharts-bar-rectangle') || q('[data-testid="chart-empty"]');
  if (bars && w.__chartAt === undefined) w.__chartAt = performance.now();
  const cards = w.document.querySelectorAll('[data-testid^="tool-card-"]').length;
  if (w.__fmrAt === undefined && tile('spend-today') && tile('spend-month') && cards >= tools)
    w.__fmrAt = performance.now();
  if (w.__fmrAt !== undefined && w.__chartAt !== undefined)
    return { fmr: w.__fmrAt, chart: w.__chartAt, today: tile('spend-today') };
  return false;
}

function liveShown() {
  const rows = globalThis.document.querySelectorAll('[data-testid="live-row"]').length;
  return rows > 0 ? { rows: performance.now() } : false;
}

// Runs in the page: what the first paint waited for — the document, the scripts, the admin requests
// (page time: start → response end; their time to first byte is mostly the server's).
function timeline() {
  const p = globalThis.performance;
  const nav = p.getEntriesByType('navigation')[0];
  const row = (name, e) => ({
    name,
    startMs: e.startTime,
    endMs: e.responseEnd,
    ttfbMs: e.responseStart - e.requestStart,
  });
  return [
    row('document', nav),
    ...p
      .getEntriesByType('resource')
      .filter((e) => !e.name.endsWith('/api/events?batch=1'))
      .map((e) => row(new URL(e.name).pathname.replace(/^\/assets\//, '') + new URL(e.name).search, e)),
  ];
}

/** One round: a fresh context, the login link (overview), then `/#/live` in a new page. */
async function visit(browser, server, api) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-US' });
  try {
    const page = await context.newPage();
    // The page's main-thread CPU time (thread ticks: what a loaded machine inflates least).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await page.goto(await server.login(), { waitUntil: 'commit' });
    const opts = { polling: 'raf', timeout: 60_000 };
    const o = await (await page.waitForFunction(overviewShown, TOOLS.length, opts)).jsonValue();
    const metrics = Object.fromEntries(
      (await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value * 1000]),
    );
    if (api) api.push(...(await page.evaluate(timeline)));
    const live = await context.newPage();
    await live.goto(`${server.url}/#/live`, { waitUntil: 'commit' });
    const l = await (await live.waitForFunction(liveShown, undefined, opts)).jsonValue();
    return { ...o, rows: l.rows, cpu: metrics.ThreadTime, script: metrics.ScriptDuration };
  } finally {
    await context.close();
  }
}

/** Interleaved rounds (each round visits every target once, so the machine's drift hits all alike). */
async function timeRounds(browser, targets, rounds) {
  for (const t of targets) await visit(browser, t.server); // unmeasured: loads the admin app, warms the JIT
  const runs = targets.map(() => []);
  for (let i = 0; i < rounds; i++)
    for (const [j, t] of targets.entries())
      runs[j].push(await visit(browser, t.server, i === rounds - 1 ? t.loaded : undefined));
  return runs.map((r) => {
    const pick = (k) => r.map((x) => x[k]);
    return {
      fmrMs: median(pick('fmr')),
      chartMs: median(pick('chart')),
      rowsMs: median(pick('rows')),
      cpuMs: median(pick('cpu')),
      scriptMs: median(pick('script')),
      fmrRounds: pick('fmr'),
      today: r[0].today,
    };
  });
}

/**
 * `before`: also serve the 1M ledger with the dashboard built in that directory (an older build,
 * e.g. from `git archive` of an earlier commit), in the same interleaved rounds.
 */
export async function runDashboardRenderBench({
  records = 1_000_000,
  rounds = 3,
  before,
  log = console.log,
} = {}) {
  log(`\nDashboard first render (issue 16): ${records.toLocaleString('en-US')} records vs an empty ledger`);
  const loadBefore = load();
  const ledger = await filledLedger(records, log);
  await buildRenderer(log);
  const browser = await launchBrowser();
  const targets = [];
  const n = records.toLocaleString('en-US');
  try {
    const empty = await startTarget(undefined);
    targets.push({ name: 'empty', server: empty, loaded: [] });
    // One request, so the baseline's request list has a row to show (its "empty" is one record).
    const res = await fetch(`${empty.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${empty.token}` },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    if (!res.ok) throw new Error(`the baseline's one request failed: ${res.status} ${await res.text()}`);
    targets.push({ name: n, server: await startTarget(ledger), loaded: [] });
    if (before)
      targets.push({ name: `${n}, ${before}`, server: await startTarget(ledger, before), loaded: [] });
    const results = await timeRounds(browser, targets, rounds);
    const [base, big] = results;
    const pass = big.fmrMs <= TARGET_MS;
    const f = (x) => `${x.toFixed(0)} ms`;
    log(`  load average before / after: ${loadBefore} → ${load()}; median of ${rounds} interleaved rounds`);
    log(
      `  first meaningful render (overview tiles + ${TOOLS.length} tool cards): ${n} records ${f(big.fmrMs)}, ` +
        `empty ${f(base.fmrMs)} (${(big.fmrMs / base.fmrMs).toFixed(2)}× empty) — target ≤ ${TARGET_MS} ms: ${pass ? 'PASS' : 'MISS'}`,
    );
    for (const [j, t] of targets.entries()) {
      const r = results[j];
      log(
        `  ${t.name}: first meaningful render ${f(r.fmrMs)} (rounds ${r.fmrRounds.map(f).join(', ')}); ` +
          `main-thread CPU until then ${f(r.cpuMs)} (JS ${f(r.scriptMs)}); chart drawn ${f(r.chartMs)}; ` +
          `request list (/#/live, warm page) ${f(r.rowsMs)}; Today ${r.today}`,
      );
    }
    for (const t of targets) {
      log(`  what the last ${t.name} round loaded (page time: start → end, time to first byte):`);
      for (const a of t.loaded.sort((x, y) => x.startMs - y.startMs))
        log(
          `    ${a.name.padEnd(40)} ${f(a.startMs).padStart(8)} → ${f(a.endMs).padStart(8)}  ttfb ${f(a.ttfbMs)}`,
        );
    }
    return {
      records,
      rounds,
      loadBefore,
      loadAfter: load(),
      empty: base,
      full: big,
      ...(before ? { before: results[2] } : {}),
      loaded: targets[1].loaded,
      pass,
    };
  } finally {
    for (const t of targets) await t.server.stop();
    await browser.close().catch(() => undefined);
  }
}

async function fillChild(file, records) {
  await rm(file, { force: true });
  await generate({ file, records, days: DAYS, now: new Date() });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      records: { type: 'string', default: '1000000' },
      rounds: { type: 'string', default: '3' },
      fill: { type: 'string' },
      before: { type: 'string' },
    },
  });
  if (values.fill) await fillChild(values.fill, Number(values.records));
  else
    await runDashboardRenderBench({
      records: Number(values.records),
      rounds: Number(values.rounds),
      before: values.before,
    });
}
