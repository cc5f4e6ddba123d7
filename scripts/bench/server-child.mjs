// The server side of the bench, run in a forked child so the load generator (the parent) and the
// servers each get one of the two cores. `node server-child.mjs <direct|raw|express|floor|shimmy|shimmy-nolog>`;
// with BENCH_UPSTREAM set, the proxy forwards there instead of to an in-process fake upstream;
// with BENCH_CPU_PROFILE=FILE, the child profiles itself from ready to stop into FILE.
// IPC: sends {type:'ready', url, token?, price?}; answers {type:'stats'} with RSS and CPU time used
// (+ Shimmy's spend).
import { existsSync, readFileSync } from 'node:fs';
import { subscribe } from 'node:diagnostics_channel';
import { constants as perfConstants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { startCpuProfile } from './cpu-profiler.mjs';
import { startFakeUpstream } from './fake-upstream.mjs';
import { startExpressProxy, startMeteringFloor, startRawProxy } from './pass-through.mjs';
import { startShimmy } from './start-shimmy.mjs';

const role = process.argv[2];
let close = async () => {};
let statsExtra = () => ({});
let upstreamServer;

// Stage times (streams.mjs, slow part: {type:'stages', on}): when each request reached the proxy,
// when an upstream socket was opened and when each request reached the in-process fake upstream,
// in ms since the Unix epoch (performance.timeOrigin-based, comparable with the parent's).
const stages = { on: false, proxyAccept: [], proxyIn: [], upstreamConnect: [], upstreamIn: [] };
const epochMs = () => performance.timeOrigin + performance.now();
subscribe('http.server.request.start', ({ server }) => {
  if (!stages.on) return;
  (server === upstreamServer ? stages.upstreamIn : stages.proxyIn).push(epochMs());
});
subscribe('net.server.socket', ({ socket }) => {
  if (stages.on && socket.localPort !== upstreamServer?.address().port) stages.proxyAccept.push(epochMs());
});
subscribe('net.client.socket', () => {
  if (stages.on) stages.upstreamConnect.push(epochMs());
});

async function start() {
  let upstreamUrl = process.env.BENCH_UPSTREAM;
  if (!upstreamUrl) {
    const fake = await startFakeUpstream();
    upstreamUrl = fake.url;
    upstreamServer = fake.server;
  }
  if (role === 'direct') return { url: upstreamUrl };
  if (role === 'raw' || role === 'express' || role === 'floor') {
    const start = { raw: startRawProxy, express: startExpressProxy, floor: startMeteringFloor }[role];
    const p = await start(upstreamUrl);
    return { url: p.url };
  }
  // shimmy: with its JSON-lines log on stdout, as `shimmy serve` runs (spawn-server drains the
  // pipe); shimmy-nolog: the same without any log, to show what the log costs.
  if (role === 'shimmy' || role === 'shimmy-nolog') {
    const s = await startShimmy(upstreamUrl, {
      stdoutLog: role === 'shimmy' && !!process.env.BENCH_STDOUT_LOG,
    });
    // Shimmy is closed properly (ledger flushed, instance file and temp dir removed); the rest just exit.
    close = () => s.close();
    statsExtra = () => {
      const snap = s.core.snapshot();
      return {
        todayUsd: snap.todayUsd,
        toolTodayUsd: snap.tools.find((t) => t.name === 'bench')?.todayUsd ?? null,
      };
    };
    return { url: s.url, token: s.token, price: s.price };
  }
  throw new Error(`unknown role "${role}"`);
}

// Garbage collection on the main thread since start, by kind (ms of pause, and how many): what
// allocation per relayed event costs beyond the allocation itself (streams.mjs, slow part).
const gc = { scavengeMs: 0, scavenges: 0, majorMs: 0, majors: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) {
      gc.scavengeMs += e.duration;
      gc.scavenges++;
    } else {
      gc.majorMs += e.duration;
      gc.majors++;
    }
  }
}).observe({ entryTypes: ['gc'] });

// The longest the event loop was held since the last {type:'stats', resetLoop:true} (bodies.mjs).
// Only with BENCH_BUSY_BLOCKS=1, the bench that reads it: the monitor is a 1 ms timer, a wake-up
// every millisecond that a real proxy does not have and that added to every target's main-thread
// CPU and wake-ups per request in the hot-path and c=1 figures.
const loopDelay = process.env.BENCH_BUSY_BLOCKS ? monitorEventLoopDelay({ resolution: 1 }) : null;
loopDelay?.enable();
// The same with the CPU to show for it: per 1 ms tick, the smaller of the wall time and the main
// thread's CPU time since the last tick (Linux: its schedstat, in ns; elsewhere the process's CPU
// time, which also counts the tokenizer and GC threads). On a loaded VM a descheduled process
// shows long loop delays with no CPU behind them; a block this thread caused itself has both
// (BENCH_BUSY_BLOCKS=1 only).
let busyMaxMs = 0;
const blockLogMs = Number(process.env.BENCH_BLOCK_LOG ?? 0);
if (process.env.BENCH_BUSY_BLOCKS) {
  const schedstat = `/proc/self/task/${process.pid}/schedstat`;
  const mainThreadMs = () => Number(readFileSync(schedstat, 'latin1').split(' ')[0]) / 1e6;
  const threadCpu = existsSync(schedstat) ? mainThreadMs : null;
  const cpuMsNow = () => {
    if (threadCpu) return threadCpu();
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  let wall = performance.now();
  let cpu = cpuMsNow();
  setInterval(() => {
    const w = performance.now();
    const c = cpuMsNow();
    busyMaxMs = Math.max(busyMaxMs, Math.min(w - wall, c - cpu));
    // BENCH_BLOCK_LOG=ms: every block that long, with when (ms since start, as --trace-gc prints;
    // hr: the monotonic clock in µs, as a .cpuprofile's timestamps, for profile-blocks.mjs).
    if (blockLogMs && w - wall >= blockLogMs)
      console.log(
        `[${process.pid}] block at ${w.toFixed(0)} ms: ${(w - wall).toFixed(1)} ms wall, ${(c - cpu).toFixed(1)} ms main-thread CPU, hr ${process.hrtime.bigint() / 1000n}`,
      );
    wall = w;
    cpu = c;
  }, 1).unref();
}

// The main thread's own CPU (Linux: its schedstat, in ns): the event loop is what a request waits
// for, while process.cpuUsage() also counts worker threads (the ledger's, the tokenizer's) that run
// beside it on the other core. And its wake-ups (voluntary context switches: each time the loop
// went to sleep): on this VM each costs tens of µs of the thread's CPU, so a timer or a message
// that wakes an idle loop once more per request shows here first.
function mainThreadCpuMicros() {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'latin1').split(' ')[0]) / 1000;
  } catch {
    return null;
  }
}
function mainThreadWakeups() {
  try {
    const status = readFileSync(`/proc/self/task/${process.pid}/status`, 'latin1');
    return Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1]);
  } catch {
    return null;
  }
}

process.on('message', async (msg) => {
  if (msg?.type === 'stats') {
    const loopMaxMs = loopDelay ? loopDelay.max / 1e6 : null;
    const loopBusyMaxMs = busyMaxMs;
    // {gc:true}: what is retained, not garbage not yet collected (spawn-server passes --expose-gc).
    if (msg.gc) globalThis.gc?.();
    const m = process.memoryUsage();
    const cpu = process.cpuUsage();
    const reply = {
      type: 'stats',
      rssBytes: m.rss,
      heapUsedBytes: m.heapUsed,
      externalBytes: m.external,
      cpuMicros: cpu.user + cpu.system,
      cpuSystemMicros: cpu.system,
      mainThreadCpuMicros: mainThreadCpuMicros(),
      mainThreadWakeups: mainThreadWakeups(),
      loopMaxMs,
      loopBusyMaxMs,
      gc: { ...gc },
      ...statsExtra(),
    };
    if (!msg.resetLoop) return process.send(reply);
    // Reset once the probes have seen this handler's own work (Shimmy's spend snapshot is tens of
    // ms on a loaded VM), then reply: the next window holds the proxy's blocks, not the bench's.
    setTimeout(() => {
      loopDelay?.reset();
      busyMaxMs = 0;
      process.send(reply);
    }, 5);
  } else if (msg?.type === 'stages') {
    // BENCH_PROFILE_AT_STAGES=1: the profile starts with the measured burst, not with the warm-up.
    if (msg.on && profileAtStages && !profiling) profiling = startCpuProfile(process.env.BENCH_CPU_PROFILE);
    const { proxyAccept, proxyIn, upstreamConnect, upstreamIn } = stages;
    process.send({ type: 'stages', proxyAccept, proxyIn, upstreamConnect, upstreamIn });
    Object.assign(stages, { on: msg.on, proxyAccept: [], proxyIn: [], upstreamConnect: [], upstreamIn: [] });
  } else if (msg?.type === 'stop') {
    await (
      await profiling
    )?.();
    await close();
    process.exit(0);
  }
});

// A parent that crashed must not leave servers running.
process.on('disconnect', () => process.exit(0));

const ready = await start();
const profileAtStages = Boolean(process.env.BENCH_CPU_PROFILE && process.env.BENCH_PROFILE_AT_STAGES);
let profiling =
  process.env.BENCH_CPU_PROFILE && !profileAtStages
    ? startCpuProfile(process.env.BENCH_CPU_PROFILE)
    : undefined;
await profiling;
process.send({ type: 'ready', ...ready });
