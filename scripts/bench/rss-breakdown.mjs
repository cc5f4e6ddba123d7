// Where Shimmy's RSS goes (issue 16), stage by stage: a forked child runs the fake upstream and
// Shimmy (dist/, or --root DIR's) and reports /proc/self/smaps_rollup, the main isolate's heap
// spaces and its threads after each stage; this process loads it between stages.
// `node scripts/bench/rss-breakdown.mjs [--requests N] [--root DIR] [--idle-ms MS]`
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { shimmyLaunchEnv, shimmyLaunchFlags } from './launch-flags.mjs';

const mb = (b) => (b / 2 ** 20).toFixed(1);

function memory() {
  const roll = readFileSync('/proc/self/smaps_rollup', 'latin1');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(roll)?.[1] ?? 0) * 1024;
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]));
  const h = v8.getHeapStatistics();
  const threads = readdirSync('/proc/self/task').map((t) =>
    readFileSync(`/proc/self/task/${t}/comm`, 'latin1').trim(),
  );
  const m = process.memoryUsage();
  return {
    rss: kb('Rss'),
    anon: kb('Anonymous'),
    file: kb('Rss') - kb('Anonymous'),
    heapTotal: h.total_heap_size,
    heapUsed: h.used_heap_size,
    young: spaces.new_space ?? 0,
    old: (spaces.old_space ?? 0) + (spaces.code_space ?? 0) + (spaces.map_space ?? 0),
    large: (spaces.large_object_space ?? 0) + (spaces.code_large_object_space ?? 0),
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    threads: threads.length,
    workers: threads.filter((t) => !/^(node|V8Worker|libuv-worker|node-|\w+Worker|Signal)/.test(t)).length,
    names: threads.join(','),
    tids: readdirSync('/proc/self/task').join(','),
  };
}

async function child(root) {
  const { startFakeUpstream } = await import(join(root, 'scripts/bench/fake-upstream.mjs'));
  const { startShimmy } = await import(join(root, 'scripts/bench/start-shimmy.mjs'));
  const up = await startFakeUpstream();
  const s = await startShimmy(up.url);
  process.on('message', async (msg) => {
    if (msg.type === 'gc') globalThis.gc?.();
    if (msg.type === 'stop') {
      await s.close();
      process.exit(0);
    }
    process.send({ type: 'mem', ...memory() });
  });
  process.send({ type: 'ready', url: s.url, token: s.token, before: memory() });
}

async function main() {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '20000' },
      root: { type: 'string', default: join(import.meta.dirname, '../..') },
      'idle-ms': { type: 'string', default: '0' },
      // Default: the flags --root's bin/shimmy.js launches with (launch-flags.mjs).
      'node-flags': { type: 'string' },
    },
  });
  const { runLoad } = await import('./load.mjs');
  const c = fork(import.meta.filename, ['--child', values.root], {
    execArgv: [
      '--expose-gc',
      ...(values['node-flags'] !== undefined
        ? values['node-flags'].split(' ').filter(Boolean)
        : shimmyLaunchFlags(values.root)),
    ],
    env: {
      ...process.env,
      ...shimmyLaunchEnv(values.root),
      BENCH_TOOL_LIMITS: JSON.stringify({ dailyUsd: 1_000_000 }),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [ready] = await once(c, 'message');
  const ask = async (type = 'mem') => {
    c.send({ type });
    const [m] = await once(c, 'message');
    return m;
  };
  const show = (label, m) =>
    console.log(
      `${label.padEnd(28)} rss ${mb(m.rss).padStart(6)} anon ${mb(m.anon).padStart(6)} file ${mb(m.file).padStart(5)} | heap ${mb(m.heapTotal).padStart(5)} (used ${mb(m.heapUsed).padStart(5)}, young ${mb(m.young)}, old ${mb(m.old)}, large ${mb(m.large)}) ext ${mb(m.external)} ab ${mb(m.arrayBuffers)} | threads ${m.threads} ${m.tids}`,
    );
  show('started (admin app loaded)', ready.before);
  const messages = [
    { role: 'system', content: 'You are a terse assistant that answers in one sentence.' },
    {
      role: 'user',
      content: 'Why should a local API proxy meter every request and enforce per-tool budgets?',
    },
  ];
  const plain = JSON.stringify({ model: 'gpt-4o-mini', messages, max_tokens: 64 });
  const streamed = JSON.stringify({ model: 'gpt-4o-mini', messages, max_tokens: 64, stream: true });
  const load = (body, n, ms) =>
    runLoad({
      url: ready.url,
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ready.token}` },
      body,
      concurrency: n,
      warmupMs: 0,
      durationMs: ms,
      check: (s) => s === 200,
    });
  await load(plain, 1, 50);
  show('one request', await ask());
  await new Promise((r) => setTimeout(r, 6000));
  show('6 s later (tokenizer?)', await ask());
  show('  after a full GC', await ask('gc'));
  let done = 0;
  const total = Number(values.requests);
  for (let i = 0; done < total && i < 200; i++) {
    const r = await load(i % 2 ? streamed : plain, 32, 5000);
    done += r.completed;
    show(`${done} requests`, await ask());
  }
  show('  after a full GC', await ask('gc'));
  const idle = Number(values['idle-ms']);
  if (idle > 0) {
    await new Promise((r) => setTimeout(r, idle));
    show(`idle ${idle} ms`, await ask());
    show('  after a full GC', await ask('gc'));
  }
  console.log(`threads: ${(await ask()).names}`);
  c.send({ type: 'stop' });
  await once(c, 'exit');
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else await main();
