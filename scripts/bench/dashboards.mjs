// Issue 16's dashboards figure: what open dashboards cost the proxy. A Shimmy child under a paced
// load (--rate req/s for --seconds, bounded in count and time) with 0 dashboards, then with N open,
// then with 0 again; raw node:http and the fake upstream alone (direct) under the same load in the
// same run. Reported: CPU per request of each child, the proxy's own (minus direct's upstream
// cost), and Shimmy's with N dashboards over its mean with none (target: ≤ 1.15×).
//
// The dashboards are real: N headless Chromium pages of the built dashboard (dist/renderer, rebuilt
// first), each in its own browser context — its own profile, cookie and event stream, as N people
// or N browser windows would be (tabs of one profile share one stream by design: shared-stream.ts).
// Each signs in through a one-time login URL from the child, opens the overview and stays on it.
// During the N-dashboard phase the bench counts every admin request the pages make besides the
// event stream (refetches; should be none) and checks each page's "Today" tile moved (pushed
// updates arrived). The browser's own CPU per request is reported too (what the laptop pays).
//
// Alone: `node scripts/bench/dashboards.mjs [--dashboards N] [--rate R] [--seconds S]` after
// `npm run build:core`.
import { fork, execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { Pool } from 'undici';

const ROOT = join(import.meta.dirname, '../..');
const CHILD = join(import.meta.dirname, 'dashboards-child.mjs');
const CHROMIUM = '/usr/bin/chromium';
const PATH = '/v1/chat/completions';
const BODY = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Why should a local API proxy meter every request?' }],
  max_tokens: 64,
});

/** Forks a target child; resolves when it listens. */
export async function spawnDashChild(role, env = {}) {
  const child = fork(CHILD, [role], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = (type) =>
    new Promise((resolve, reject) => {
      const onMessage = (m) => {
        if (m?.type !== type) return;
        child.off('exit', onExit);
        child.off('message', onMessage);
        resolve(m);
      };
      const onExit = (code) => {
        child.off('message', onMessage);
        reject(new Error(`dashboards bench child (${role}) exited (code ${code}) before "${type}"`));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      if (type !== 'ready') child.send({ type });
    });
  const ready = await ask('ready');
  return {
    role,
    url: ready.url,
    token: ready.token,
    pid: child.pid,
    stats: () => ask('stats'),
    login: async () => (await ask('login')).url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ type: 'stop' });
      await exited;
    },
  };
}

/**
 * Sends `rate` requests a second for `seconds` (open loop, so the rate does not depend on the
 * target's speed), at most rate × seconds requests and at most `seconds` + 15 s in all.
 */
export async function pacedLoad({ url, token, rate, seconds }) {
  const pool = new Pool(url, { connections: 32, pipelining: 1, keepAliveTimeout: 30_000 });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token ?? 'sk-bench'}` };
  const total = Math.round(rate * seconds);
  let sent = 0;
  let completed = 0;
  let errors = 0;
  let firstError;
  const inflight = new Set();
  const one = async () => {
    try {
      const res = await pool.request({ path: PATH, method: 'POST', headers, body: BODY });
      const text = await res.body.text();
      if (res.statusCode === 200 && text.includes('"completion_tokens"')) completed++;
      else {
        errors++;
        firstError ??= `HTTP ${res.statusCode}: ${text.slice(0, 200)}`;
      }
    } catch (err) {
      errors++;
      firstError ??= String(err);
    }
  };
  const t0 = performance.now();
  const deadline = t0 + (seconds + 15) * 1000;
  try {
    while (sent < total && performance.now() < deadline) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
      while (sent < due) {
        sent++;
        const p = one().finally(() => inflight.delete(p));
        inflight.add(p);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.race([
      Promise.all(inflight),
      new Promise((r) => setTimeout(r, Math.max(0, deadline - performance.now()))),
    ]);
  } finally {
    await pool.destroy();
  }
  const elapsedS = (performance.now() - t0) / 1000;
  return { sent, completed, errors, firstError, rps: completed / elapsedS };
}

/** CPU time (µs) of every process below `rootPid` except `skip` and theirs: the browser's. */
function descendantsCpuMicros(rootPid, skip) {
  const tick = 1e6 / 100; // USER_HZ is 100 on Linux
  const parent = new Map();
  const cpu = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(name), Number(f[1]));
      cpu.set(Number(name), (Number(f[11]) + Number(f[12])) * tick);
    } catch {
      // the process ended meanwhile
    }
  }
  let sum = 0;
  for (const [pid, us] of cpu) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (skip.has(p) || skip.has(pid)) break;
      if (p === rootPid) {
        sum += us;
        break;
      }
    }
  }
  return sum;
}

export async function buildRenderer(log) {
  const t = performance.now();
  await promisify(execFile)(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'renderer/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    { cwd: ROOT },
  );
  log(`  (dashboard built in ${((performance.now() - t) / 1000).toFixed(1)} s)`);
}

/** Opens `n` dashboards on `server`, each in its own context; resolves once each shows its tiles. */
async function openDashboards(browser, server, n) {
  const dashboards = [];
  for (let i = 0; i < n; i++) {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    const d = { context, page, adminRequests: 0, counting: false, errors: [] };
    page.on('request', (req) => {
      const path = new URL(req.url()).pathname;
      if (d.counting && path.startsWith('/api/') && path !== '/api/events') d.adminRequests++;
    });
    page.on('pageerror', (err) => d.errors.push(err.message));
    await page.goto(await server.login());
    dashboards.push(d);
  }
  await Promise.all(
    dashboards.map((d) => d.page.getByTestId('spend-today').waitFor({ state: 'visible', timeout: 60_000 })),
  );
  return dashboards;
}

const todayTile = (d) => d.page.getByTestId('spend-today').locator('.tile-value').textContent();

export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/** The whole part (`npm run bench -- --dashboards N`): rebuilds the dashboard, then the CPU figure. */
export async function runDashboardsPart({ dashboards = 20, rate = 500, seconds = 6, log = console.log }) {
  log(`\nDashboards (issue 16)`);
  await buildRenderer(log);
  const browser = await launchBrowser();
  const out = {};
  try {
    if (dashboards > 0) out.cpu = await runDashboardsBench({ browser, dashboards, rate, seconds, log });
  } finally {
    await browser.close().catch(() => undefined);
  }
  return out;
}

export async function runDashboardsBench({
  browser,
  dashboards = 20,
  rate = 500,
  seconds = 6,
  warmupSeconds = 2,
  log = console.log,
}) {
  log(
    `  ${rate} req/s paced for ${seconds} s per phase; Shimmy with 0, ${dashboards}, then 0 dashboards (headless Chromium, one context each); raw node:http and direct in the same run`,
  );
  const children = [];
  try {
    for (const role of ['direct', 'raw', 'shimmy']) children.push(await spawnDashChild(role));
    const [direct, raw, shimmy] = children;
    const skip = new Set(children.map((c) => c.pid));

    const phase = async (name, server) => {
      const before = (await server.stats()).cpuMicros;
      const browserBefore = descendantsCpuMicros(process.pid, skip);
      const run = await pacedLoad({ url: server.url, token: server.token, rate, seconds });
      const cpu = (await server.stats()).cpuMicros - before;
      const browserCpu = descendantsCpuMicros(process.pid, skip) - browserBefore;
      const r = {
        ...run,
        cpuMicrosPerRequest: cpu / run.completed,
        browserMicrosPerRequest: browserCpu / run.completed,
      };
      log(
        `  ${name.padEnd(22)} ${run.completed}/${run.sent} ok, ${run.rps.toFixed(0)} req/s, CPU ${r.cpuMicrosPerRequest.toFixed(0)} µs/request` +
          (run.errors ? ` (${run.errors} failed, first: ${run.firstError})` : ''),
      );
      return r;
    };

    // JIT warm-up, unmeasured, the same for every target.
    for (const c of children) await pacedLoad({ url: c.url, token: c.token, rate, seconds: warmupSeconds });
    const results = {};
    results.direct = await phase('direct (upstream only)', direct);
    results.raw = await phase('raw node:http', raw);
    results.shimmy0 = await phase('Shimmy, 0 dashboards', shimmy);
    const open = await openDashboards(browser, shimmy, dashboards);
    // Let the pages finish loading (the chart's chunk) before measuring.
    await new Promise((r) => setTimeout(r, 1500));
    const tilesBefore = await Promise.all(open.map(todayTile));
    for (const d of open) d.counting = true;
    results.shimmyN = await phase(`Shimmy, ${dashboards} dashboards`, shimmy);
    for (const d of open) d.counting = false;
    // A spend tick (250 ms) and a flush (100 ms) after the last request, every tile shows it.
    await new Promise((r) => setTimeout(r, 1000));
    const tilesAfter = await Promise.all(open.map(todayTile));
    const live = tilesAfter.filter((t, i) => t !== tilesBefore[i]).length;
    const refetches = open.reduce((n, d) => n + d.adminRequests, 0);
    const pageErrors = open.flatMap((d) => d.errors);
    await Promise.all(open.map((d) => d.context.close()));
    results.shimmy0b = await phase('Shimmy, 0 dashboards', shimmy);

    const own = (r) => r.cpuMicrosPerRequest - results.direct.cpuMicrosPerRequest;
    const zero = (results.shimmy0.cpuMicrosPerRequest + results.shimmy0b.cpuMicrosPerRequest) / 2;
    const zeroOwn = zero - results.direct.cpuMicrosPerRequest;
    const ratio = results.shimmyN.cpuMicrosPerRequest / zero;
    const ownRatio = own(results.shimmyN) / zeroOwn;
    const summary = {
      dashboards,
      rate,
      seconds,
      results,
      shimmyZeroMicros: zero,
      ratio,
      ownRatio,
      rawOwnMicros: own(results.raw),
      pass: ownRatio <= 1.15,
      liveDashboards: live,
      refetches,
      pageErrors: pageErrors.slice(0, 5),
    };
    log(
      `  CPU per request, proxy's own (child minus direct's ${results.direct.cpuMicrosPerRequest.toFixed(0)} µs): raw ${own(results.raw).toFixed(0)} µs, ` +
        `Shimmy ${zeroOwn.toFixed(0)} µs with 0 dashboards (${(zeroOwn / own(results.raw)).toFixed(1)}× raw), ${own(results.shimmyN).toFixed(0)} µs with ${dashboards}`,
    );
    log(
      `  ${dashboards} dashboards: Shimmy's own CPU per request ×${ownRatio.toFixed(2)} (+${((ownRatio - 1) * 100).toFixed(0)}%; whole child incl. upstream ×${ratio.toFixed(2)}) — target ≤ 1.15×: ${summary.pass ? 'PASS' : 'MISS'}`,
    );
    log(
      `  ${live} of ${dashboards} dashboards showed the new spend; admin requests besides the event stream during the phase: ${refetches}; ` +
        `browser CPU ${results.shimmyN.browserMicrosPerRequest.toFixed(0)} µs per request (all ${dashboards} pages)` +
        (pageErrors.length ? `; page errors: ${pageErrors.slice(0, 3).join(' | ')}` : ''),
    );
    return summary;
  } finally {
    for (const c of children) await c.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      dashboards: { type: 'string', default: '20' },
      rate: { type: 'string', default: '500' },
      seconds: { type: 'string', default: '6' },
    },
  });
  await runDashboardsPart({
    dashboards: Number(values.dashboards),
    rate: Number(values.rate),
    seconds: Number(values.seconds),
  });
}
