// The server side of the dashboards bench (dashboards.mjs), one forked child per target, each with
// its own fake upstream: `node dashboards-child.mjs <direct|raw|shimmy>`. Unlike server-child.mjs it
// also signs dashboards in: {type:'login'} answers with a one-time login URL of this Shimmy (what
// `shimmy dashboard` prints), so every browser context gets its own session the way a person does.
// BENCH_DATA_DIR: open Shimmy on that data dir (a prepared 1M-record ledger) instead of a fresh one.
// IPC: sends {type:'ready', url, token?}; answers {type:'stats'} (CPU time, RSS), {type:'login'}.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startFakeUpstream } from './fake-upstream.mjs';
import { startRawProxy } from './pass-through.mjs';

const role = process.argv[2];
let close = async () => {};
let loginUrl = () => null;

/** The tools a prepared data dir's ledger uses (ledger-data.mjs), so the overview lists them. */
const benchTools = () => JSON.parse(process.env.BENCH_TOOLS ?? '[]');

async function startShimmy(upstreamUrl) {
  const { startCore } = await import(
    pathToFileURL(join(import.meta.dirname, '../../dist/main/core/start-core.js')).href
  );
  const given = process.env.BENCH_DATA_DIR;
  const dataDir = given ?? (await mkdtemp(join(tmpdir(), 'shimmy-bench-dash-')));
  const openai = {
    name: 'openai',
    kind: 'openai',
    baseUrl: `${upstreamUrl}/v1`,
    isDefault: true,
    builtin: true,
  };
  await writeFile(join(dataDir, 'config.json'), JSON.stringify({ version: 1, providers: [openai] }));
  const core = await startCore({
    dataDir,
    port: 0,
    keychain: null,
    env: { ...process.env, SHIMMY_KEY_OPENAI: 'sk-bench', SHIMMY_PRICE_REFRESH: 'off' },
    log: () => {},
  });
  const createTool = async (name, limits) => {
    const res = await fetch(`${core.url}/api/tools`, {
      method: 'POST',
      headers: { authorization: `Bearer ${core.adminSecret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, limits }),
    });
    if (!res.ok) throw new Error(`creating tool ${name}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()).token;
  };
  // The ledger's tools with budgets, as people set them (the overview shows their bars); the load's
  // tool without, like the proxy bench's (no token count per request).
  for (const name of benchTools()) await createTool(name, { dailyUsd: 1000, monthlyUsd: 10000 });
  const token = await createTool('bench', {});
  close = async () => {
    await core.close();
    if (!given) await rm(dataDir, { recursive: true, force: true });
  };
  loginUrl = () => core.createLoginUrl();
  return { url: core.url, token };
}

async function start() {
  const upstreamUrl = (await startFakeUpstream()).url;
  if (role === 'direct') return { url: upstreamUrl };
  if (role === 'raw') return { url: (await startRawProxy(upstreamUrl)).url };
  if (role === 'shimmy') return startShimmy(upstreamUrl);
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
