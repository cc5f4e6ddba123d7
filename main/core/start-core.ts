// The composition root of the core: opens the stores, wires the request path and the admin API,
// binds the port. `shimmy serve` and the desktop shell both call this; it only wires.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { lazyAdminApp } from './admin/lazy-admin-app.js';
import { createSessions } from './admin/sessions.js';
import { createToolAuth } from './auth/tool-auth.js';
import { lockDataDir, type DataDirLock } from './config/data-dir-lock.js';
import { makeDirOwnerOnly, makeOwnerOnly } from './config/owner-only.js';
import fs from 'node:fs/promises';
import { DEFAULT_PORT } from './config/data-dir.js';
import type { Core, CoreSnapshot } from './core.js';
import { createEventBus } from './events/event-bus.js';
import { removeInstanceFile, writeInstanceFile } from './instance-file.js';
import { openLedger } from './ledger/index.js';
import { redactDatabase } from './store/index.js';
import { openStores } from './open-stores.js';
import { openLimiter } from './limits/index.js';
import { createPrices, loadLegacyPrices, openPriceCatalog } from './pricing/index.js';
import { createBodyLog } from './body-log/body-log.js';
import { createProxyHandler, type ProxyDeps } from './proxy/proxy-handler.js';
import { createShimmyServer, listen } from './server.js';
import type { ServerLimits } from './server/server-limits.js';
import { createUpstreamClient } from './upstream/upstream-client.js';
import { createKeyHealth } from './upstream/key-health.js';
import { openResponseCache } from './cache/index.js';
import { createVault, loadKeytar, type Keychain } from './vault/vault.js';
import { buildSnapshot } from './snapshot.js';
import { buildOverview } from './admin/overview.js';
import { startSpendTicks } from './events/spend-ticks.js';
import { createPlanTracker, DEFAULT_PLAN_ALERT_PERCENTS } from './plans/plan-tracker.js';
import { postWebhook } from './limits/index.js';
import { createServedTiers } from './limits/served-tiers.js';
import { createStoredResponses } from './limits/stored-responses.js';
import { tokenizerThread } from './meter/tokenizer-thread.js';
import { openJsonLinesLog, type LineSink } from './json-lines-log.js';

export interface StartCoreOptions {
  dataDir: string;
  port?: number;
  host?: string;
  /** Defaults to the real OS keychain through keytar. */
  keychain?: Keychain | null;
  /** Where the built dashboard is; defaults to dist/renderer next to the compiled core. */
  rendererDir?: string;
  now?: () => Date;
  log?: (entry: Record<string, unknown>) => void;
  /** Where the default log's lines go (json-lines-log.ts); default process.stdout. */
  stdout?: LineSink;
  env?: NodeJS.ProcessEnv;
  /** `postgres://…` keeps the ledger in Postgres; default: `<dataDir>/ledger.sqlite`. */
  database?: string;
  /** `redis://…` shares budgets and rate limits with the other replicas; default: in memory. */
  redis?: string;
  /** Timeouts and connection caps (tests shorten them); defaults in server/server-limits.ts. */
  serverLimits?: Partial<ServerLimits>;
  /** Tests wrap the request path's dependencies (to make one fail); default: as wired here. */
  proxyDeps?: (deps: ProxyDeps) => ProxyDeps;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const SPEND_TICK_MS = 250;
/** Start-up's deferred work waits for the proxy to be this quiet (server/idle-watch.ts): the first
 *  requests after start never share the CPU with it. Each has a latest start beside it. */
const QUIET_MS = 250;
/** The embedded ledger database in the data dir. */
export const LEDGER_FILE = 'ledger.sqlite';
/** V8 flags every host of the core runs with (see startCore; bin/shimmy.js repeats them). */
export const V8_FLAGS =
  '--heap-growing-percent=100 --no-allocation-site-pretenuring --no-wasm-lazy-compilation';

/** Takes the data dir's lock first (one instance per data dir), and gives it back if start fails. */
export async function startCore(opts: StartCoreOptions): Promise<Core> {
  // After each full GC V8 lets the old generation grow to 2× what survived, not up to 4× (its
  // factor on a machine with a few GB): under load it kept ~100 MB of old space committed for
  // ~33 MB live (issue 16, RSS after 100k requests 238–258 MB without, ~203 MB with; raw Node
  // 100 MB). Set here, not as a launch flag, so every host of the core has it — `shimmy serve`
  // however started, and the desktop shell's Electron main process. V8 reads it each time it sizes
  // the heap, so it applies from the next GC on. 50 (1.5×) saved ~20 MB more but cost ~10%
  // main-thread CPU per request (4× the full GCs); 100's cost was within the noise (helper mem8).
  //
  // No allocation-site pretenuring: once V8 saw a request's objects survive a scavenge it began
  // allocating them straight in old space, and those dead old objects then kept the next requests'
  // young objects alive through every scavenge until a full GC (and those sites got pretenured
  // in turn). At c=1 ~1.1 MB survived each scavenge (raw Node ~30 kB) and ~1 MB was promoted; a
  // scavenge paused the loop 7–27 ms on this VM. Without it: ~120 kB survived, ~90 kB promoted,
  // 1.5–6 ms (--trace-gc-nvp, the bench's Shimmy child, same hour, round 14).
  //
  // No lazy WebAssembly compilation: undici's HTTP parser (llhttp) is compiled in the background
  // when its client loads (scripts/bundle-undici.mjs); compiled lazily, each parser function was
  // compiled again on its first call, on the event loop, inside the first proxied request (issue
  // 16: ~13 ms of its CPU at load 4-5). Only llhttp is WebAssembly here.
  //
  // bin/shimmy.js sets the same before it compiles anything, or its code cache would be refused:
  // keep the two equal (test/reliability/start-up.test.ts, the warm entries, fails otherwise).
  setFlagsFromString(V8_FLAGS);
  await fs.mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const lock = await lockDataDir(opts.dataDir);
  try {
    return await startLockedCore(opts, lock);
  } catch (err) {
    await lock.release();
    throw err;
  }
}

async function startLockedCore(opts: StartCoreOptions, lock: DataDirLock): Promise<Core> {
  const now = opts.now ?? (() => new Date());
  const lines = opts.log ? undefined : openJsonLinesLog(opts.stdout);
  const log = opts.log ?? lines!.log;
  const host = opts.host ?? '127.0.0.1';
  if (!lock.held) log({ warn: `${opts.dataDir} is read-only: started without the one-instance lock` });
  await makeDirOwnerOnly(opts.dataDir);
  // The walk over everything under the data dir waits for the proxy's first quiet moment (or
  // close): once the dir itself is 0700 (just above) nothing under it is reachable by others, and
  // done here, beside the stores' opening, its lstat of every cache entry and body took ~100 ms
  // of the main thread's CPU before the first answer with 5,000 files in the cache (issue 16).
  let ownerOnly: Promise<void> | undefined;
  const walkOwnerOnly = () =>
    (ownerOnly ??= makeOwnerOnly(opts.dataDir).then(
      (r) =>
        r.failed.forEach((f) => log({ warn: 'could not make owner-only', path: f.path, cause: f.error })),
      (err: unknown) => log({ warn: 'could not make the data dir owner-only', cause: String(err) }),
    ));
  const events = createEventBus();
  const database = opts.database ?? path.join(opts.dataDir, LEDGER_FILE);
  const { config, engine } = await openStores({ dataDir: opts.dataDir, database, events, log });
  const vault = createVault({
    keychain: opts.keychain === undefined ? await loadKeytar() : opts.keychain,
    env: opts.env ?? process.env,
    providers: () => config.get().providers,
  });
  // Keys not bound yet bind to the base URLs configured now, before anything can be asked to change
  // them: nothing can until the port is bound, so the keychain read (keytar's own thread, and the
  // Secret Service's answer) runs while the ledger, catalog, limiter and cache open, and is awaited
  // just before listen (~30 ms of start-up). It never rejects unhandled if one of those fails first.
  const vaultOpened = vault.open();
  vaultOpened.catch(() => undefined);
  const auth = createToolAuth(config.get());
  config.onChange((c) => auth.reindex(c));
  const settings = () => config.get().settings;
  const ledger = await openLedger({
    engine,
    importDir: path.join(opts.dataDir, 'ledger'),
    timeZone: () => settings().timeZone,
    retentionDays: () => settings().retentionDays,
    now,
  });
  // The price catalog: the last refreshed copy in the data dir (else the bundled one), refreshed in
  // the background below. An older version's prices.json still loads, behind the catalog.
  const env = opts.env ?? process.env;
  const priceCatalog = await openPriceCatalog({
    file: path.join(opts.dataDir, 'price-catalog.json'),
    // Not `fetch` itself: reading the global loads Node's bundled undici (~40 ms of start-up) for a
    // refresh that runs later, if ever.
    fetch: (input, init) => fetch(input, init),
    now,
    log,
    url: () => settings().priceListUrl,
    autoRefresh: () => settings().priceRefresh !== false && env.SHIMMY_PRICE_REFRESH !== 'off',
  });
  const legacyPrices = await loadLegacyPrices(path.join(opts.dataDir, 'prices.json'));
  const prices = createPrices({
    catalog: priceCatalog.current,
    user: () => config.get().prices,
    legacy: () => legacyPrices,
  });
  const limiter = await openLimiter({
    spend: ledger,
    settings,
    emit: (e) => events.emit(e),
    now,
    redisUrl: opts.redis,
    report: (message) => log({ warn: message }),
  });
  const upstream = createUpstreamClient({ connectionsPerOrigin: settings().upstreamConnections });
  const keyHealth = createKeyHealth();
  const cache = await openResponseCache({
    dir: path.join(opts.dataDir, 'cache'),
    maxEntries: 10_000,
    maxBytes: 256 * 1024 * 1024,
    ttlMs: () => settings().cacheTtlMs,
  });
  const bodyLog = createBodyLog(path.join(opts.dataDir, 'bodies'), (err) =>
    log({ warn: 'body log write failed', cause: String(err) }),
  );
  const plans = createPlanTracker({
    alertPercents: () => settings().planAlertPercents ?? DEFAULT_PLAN_ALERT_PERCENTS,
    onChange: (windows) => events.emit({ type: 'plan', windows }),
    onAlert: (a) => {
      const event = {
        type: 'alert.plan' as const,
        provider: a.provider,
        window: a.window,
        threshold: a.percent,
        usedPercent: a.usedPercent,
        resetsAt: a.resetsAt,
        time: now().toISOString(),
      };
      events.emit(event);
      const hook = settings().alertWebhookUrl;
      if (hook) void postWebhook(hook, event, fetch, (m) => log({ warn: m }));
    },
  });
  const proxyDeps: ProxyDeps = {
    config: config.get,
    auth,
    vault,
    limiter,
    ledger,
    prices,
    plans,
    servedTiers: createServedTiers(),
    storedResponses: createStoredResponses(),
    events,
    upstream: upstream.client,
    keyHealth,
    cache,
    bodyLog,
    now,
    log,
  };
  const proxy = createProxyHandler(opts.proxyDeps ? opts.proxyDeps(proxyDeps) : proxyDeps);

  const secret = randomBytes(32).toString('base64url');
  const sessions = createSessions();
  let url = '';
  const admin = lazyAdminApp({
    config,
    vault,
    ledger,
    limiter,
    prices,
    plans,
    priceCatalog,
    legacyPrices: () => legacyPrices,
    events,
    sessions,
    keyHealth,
    cache,
    bodyLog,
    adminSecret: secret,
    info: () => ({ url, port: Number(new URL(url).port) }),
    rendererDir: opts.rendererDir ?? path.resolve(here, '../../renderer'),
    now,
    dataDir: opts.dataDir,
    agentEnv: opts.env ?? process.env,
  });
  // bin/code-cache.js keeps V8's compiled code of the CLI's bundle for the next start: the first
  // proxied 2xx tells it that what is compiled by then is what a start's first request needs, and
  // the quiet moment after it when to write that (names shared with bin/code-cache.js).
  let answered = false;
  const firstAnswer = (res: ServerResponse) => {
    if (answered || res.statusCode >= 300) return;
    answered = true;
    (process as NodeJS.EventEmitter).emit('shimmy:first-answer');
    later(10_000, () => (process as NodeJS.EventEmitter).emit('shimmy:quiet'));
  };
  const server = createShimmyServer(
    (req, res) =>
      (answered ? proxy(req, res) : proxy(req, res).then(() => firstAnswer(res))).catch((err: unknown) => {
        log({ error: 'proxy handler failed', cause: String((err as Error)?.stack ?? err) });
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      }),
    admin.handle,
    opts.serverLimits,
  );
  let closed = false;
  const later = (maxWaitMs: number, work: () => unknown) =>
    void server.whenIdle(QUIET_MS, maxWaitMs).then(() => {
      if (!closed) work();
    });
  // The tokenizer's encodings load on their own thread (meter/tokenizer-thread.ts) once a request
  // needs a count, at the next quiet moment (5 s at the latest); until then reservations use an
  // upper bound, so a budget is only ever kept too strictly.
  tokenizerThread.startWhen(() => server.whenIdle(QUIET_MS, 5_000));
  await vaultOpened;
  const port = await listen(server.http, opts.port ?? DEFAULT_PORT, host);
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // The admin app (express) is preloaded once the proxy is quiet, so a `shimmy` command or the
  // dashboard seldom waits for it; 10 s at the latest (one event-loop hold of its import).
  later(10_000, () => {
    // The ledger's read worker too, so the dashboard's first query does not wait for its boot.
    ledger.warmUp?.();
    const t = performance.now();
    void admin.preload().then(() => log({ info: 'admin app loaded', ms: Math.round(performance.now() - t) }));
  });
  // A full disk must not stop a start that needs no other write: the proxy still runs.
  await writeInstanceFile(opts.dataDir, { url, secret, pid: process.pid }).catch((err: unknown) =>
    log({
      warn: 'instance.json not written: `shimmy` commands will not find this instance',
      cause: String(err),
    }),
  );

  // Spend ticks for the tray and the dashboards, coalesced: at most a few per second however many
  // requests end, so the hot path never pays for them.
  const stopSpendTicks = startSpendTicks({
    events,
    overview: () => buildOverview({ config, ledger, limiter, now }),
    daySpend: (day) => ledger.daySpend(day),
    tickMs: SPEND_TICK_MS,
  });
  // Retention and the price catalog refresh run in the background, never on the request path.
  const housekeeping = async () => {
    await ledger.prune().catch((err) => log({ warn: 'ledger prune failed', cause: String(err) }));
    await bodyLog.prune(settings().retentionDays, now()).catch(() => undefined);
  };
  const housekeepingTimer = setInterval(() => void housekeeping(), 6 * 3600_000);
  housekeepingTimer.unref();
  later(30_000, () => {
    void walkOwnerOnly();
    priceCatalog.start();
    void housekeeping();
  });

  return {
    url,
    dataDir: opts.dataDir,
    ledgerLocation: redactDatabase(database),
    events,
    adminSecret: secret,
    createAdminSession: () => sessions.create(),
    createLoginUrl: () => `${url}/login?token=${sessions.createLoginToken()}`,
    snapshot: (): CoreSnapshot => buildSnapshot({ url, config: config.get(), ledger, now: now() }),
    setPausedAll: async (paused) => {
      await config.update((c) => {
        c.settings.paused = paused;
      });
      events.emit({ type: 'config', what: 'settings' });
    },
    setToolPaused: async (name, paused) => {
      await config.update((c) => {
        const tool = c.tools.find((t) => t.name === name);
        if (!tool) throw new Error(`No tool named "${name}"`);
        tool.paused = paused;
      });
      events.emit({ type: 'config', what: 'tools' });
    },
    inFlight: () => server.inFlight(),
    async close(options = {}) {
      if (closed) return;
      closed = true;
      // Stop accepting, let proxied requests in flight finish and be recorded, then close.
      const graceMs = options.graceMs ?? settings().shutdownGraceMs;
      const report = await server.close(graceMs, options.force);
      if (report.inFlight > 0) log({ info: 'shutdown', inFlight: report.inFlight, cut: report.cut, graceMs });
      clearInterval(housekeepingTimer);
      priceCatalog.stop();
      stopSpendTicks();
      await upstream.close();
      await config.close();
      await ledger.close();
      await limiter.close?.();
      await cache.close();
      await removeInstanceFile(opts.dataDir, secret);
      // A start closed before its quiet moment still leaves the data dir owner-only.
      await walkOwnerOnly();
      await lock.release();
      lines?.close();
    },
  };
}
