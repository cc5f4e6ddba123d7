// Parent side of server-child.mjs: forks it, waits for its URL, asks it for RSS, stops it.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { shimmyLaunchEnv, shimmyLaunchFlags } from './launch-flags.mjs';

const CHILD = join(import.meta.dirname, 'server-child.mjs');

function nextMessage(child, type) {
  return new Promise((resolve, reject) => {
    const onMessage = (msg) => {
      if (msg?.type !== type) return;
      cleanup();
      resolve(msg);
    };
    const onExit = (code) => {
      cleanup();
      reject(new Error(`bench server child exited (code ${code}) before sending "${type}"`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/**
 * @param {'direct'|'raw'|'express'|'shimmy'|'shimmy-nolog'} role
 * @param {{ upstreamUrl?: string, cpuProfile?: string, budgetUsd?: number, busyBlocks?: boolean, execArgv?: string[], blockLogMs?: number, env?: Record<string, string>, stdoutLog?: boolean }} [opts] stdoutLog: Shimmy writes its log to stdout, a pipe this side drains (as a terminal or journald would), counted in stats().log cpuProfile: a .cpuprofile file to write; busyBlocks: track loopBusyMaxMs; execArgv: more node flags for the child (--trace-gc); blockLogMs: print every loop block that long (with busyBlocks); env: more environment for the child
 */
export async function spawnServer(role, opts = {}) {
  const env = { ...process.env };
  if (opts.upstreamUrl) env.BENCH_UPSTREAM = opts.upstreamUrl;
  else delete env.BENCH_UPSTREAM;
  if (opts.cpuProfile) env.BENCH_CPU_PROFILE = opts.cpuProfile;
  else delete env.BENCH_CPU_PROFILE;
  // Shimmy's bench tool under a daily USD budget (requests then need token counts): start-shimmy.mjs.
  if (opts.budgetUsd) env.BENCH_TOOL_LIMITS = JSON.stringify({ dailyUsd: opts.budgetUsd });
  if (opts.busyBlocks) env.BENCH_BUSY_BLOCKS = '1';
  else delete env.BENCH_BUSY_BLOCKS;
  if (opts.blockLogMs) env.BENCH_BLOCK_LOG = String(opts.blockLogMs);
  else delete env.BENCH_BLOCK_LOG;
  // Shimmy with the environment its launcher sets (launch-flags.mjs), raw Node without.
  for (const k of Object.keys(shimmyLaunchEnv())) delete env[k];
  const shimmy = role === 'shimmy' || role === 'shimmy-nolog';
  if (shimmy) Object.assign(env, shimmyLaunchEnv());
  if (opts.stdoutLog) env.BENCH_STDOUT_LOG = '1';
  else delete env.BENCH_STDOUT_LOG;
  Object.assign(env, opts.env);
  const child = fork(CHILD, [role], {
    env,
    // Shimmy runs with the flags it is launched with (launch-flags.mjs); raw Node with none, as a
    // plain `node server.js` pass-through runs.
    execArgv: [
      ...process.execArgv,
      '--expose-gc',
      ...(shimmy ? shimmyLaunchFlags() : []),
      ...(opts.execArgv ?? []),
    ],
    stdio: ['ignore', opts.stdoutLog ? 'pipe' : 'inherit', 'inherit', 'ipc'],
  });
  // The log's reader: takes every byte as it comes and counts the lines (nothing is printed).
  const log = { bytes: 0, lines: 0 };
  child.stdout?.on('data', (chunk) => {
    log.bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) log.lines++;
  });
  const ready = await nextMessage(child, 'ready');
  return {
    url: ready.url,
    token: ready.token,
    price: ready.price,
    pid: child.pid,
    async stats(opts = {}) {
      const reply = nextMessage(child, 'stats');
      child.send({ type: 'stats', ...opts });
      return { ...(await reply), log: { ...log } };
    },
    /** Stage times since the last call (server-child.mjs); `on` starts or stops recording. */
    async stages(on) {
      const reply = nextMessage(child, 'stages');
      child.send({ type: 'stages', on });
      return reply;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ type: 'stop' });
      await exited;
    },
  };
}
