// The server side of the dashboards bench (dashboards.mjs), one forked child per target, each with
// its own fake upstream: `node dashboards-child.mjs <direct|raw|shimmy>`. Unlike server-child.mjs it
// also signs dashboards in: {type:'login'} answers with a one-time login URL of this Shimmy (what
// `shimmy dashboard` prints), so every browser context gets its own session the way a person does.
// BENCH_DATA_DIR: open Shimmy on that data dir (a prepared 1M-record ledger) instead of a fresh one;
// BENCH_RENDERER_DIR: serve that built dashboard (dashboard-render.mjs --before) instead of dist/'s.
// IPC: sends {type:'ready', url, token?}; answers {type:'stats'} (CPU time, RSS), {type:'login'}.
import { startFakeUpstream } from './fake-upstream.mjs';
import { startRawProxy } from './pass-through.mjs';
import { startShimmy } from './start-shimmy.mjs';

const role = process.argv[2];
let close = async () => {};
let loginUrl = () => null;

/** The tools a prepared data dir's ledger uses (ledger-data.mjs), so the overview lists them. */
const benchTools = () => JSON.parse(process.env.BENCH_TOOLS ?? '[]');

// The ledger's tools get budgets, as people set them (the overview shows their bars); the load's
// tool has none, like the proxy bench's (no token count per request).
async function startDashboardShimmy(upstreamUrl) {
  const s = await startShimmy(upstreamUrl, {
    dataDir: process.env.BENCH_DATA_DIR,
    budgetedTools: benchTools(),
    rendererDir: process.env.BENCH_RENDERER_DIR,
  });
  close = () => s.close();
  loginUrl = () => s.core.createLoginUrl();
  return { url: s.url, token: s.token };
}

async function start() {
  const upstreamUrl = (await startFakeUpstream()).url;
  if (role === 'direct') return { url: upstreamUrl };
  if (role === 'raw') return { url: (await startRawProxy(upstreamUrl)).url };
  if (role === 'shimmy') return startDashboardShimmy(upstreamUrl);
  throw new Error(`unknown role "${role}"`);
}

process.on('message', async (msg) => {
  if (msg?.type === 'stats') {
    const cpu = process.cpuUsage();
    process.send({ type: 'stats', cpuMicros: cpu.user + cpu.system, rssBytes: process.memoryUsage().rss });
  } else if (msg?.type === 'login') {
    process.send({ type: 'login', url: loginUrl() });
  } else if (msg?.type === 'stop') {
    await close();
    process.exit(0);
  }
});
// A parent that crashed must not leave servers running.
process.on('disconnect', () => process.exit(0));

process.send({ type: 'ready', ...(await start()) });
