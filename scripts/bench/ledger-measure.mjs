// How one ledger query is measured in the process that holds the ledger (as `shimmy serve` does):
// its median time over a few runs, the longest event-loop stall meanwhile (what the proxy in this
// process would have waited), and peak RSS, sampled every 5 ms.
import { existsSync, openSync, readSync } from 'node:fs';
import { PerformanceObserver, constants, monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { spawn } from 'node:child_process';

// What the longest stall was (issue 15: make each block attributable): a 1 ms probe of its own
// notes the longest gap between its ticks and splits it with the main thread's schedstat (Linux,
// ns): its own time on a CPU, its time runnable but waiting for one (run queue), and the rest
// (asleep: the probe's own 1 ms timer, or blocked in a syscall or on a lock); plus the main
// isolate's GC pauses that overlap it.
// Read into one buffer, parsed by hand: readFileSync allocated an 8 kB ArrayBuffer (a /proc file
// says size 0) per read, every millisecond, and that external memory brought the main isolate
// mark-compacts every ~750 ms (3–27 ms each) — during an export, the bench's own, counted as the
// export's blocks (2026-11-28: 17 mark-compacts in a CSV export with it, 0 without).
const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
const schedFd = existsSync(SCHEDSTAT) ? openSync(SCHEDSTAT, 'r') : undefined;
const schedBuf = Buffer.alloc(128);
const schedOut = [0, 0, 0];
/** [the main thread's ns on a CPU, its ns waiting for one, the whole process's ns on a CPU]. */
const sched = () => {
  if (schedFd === undefined) return schedOut;
  // A running thread's schedstat leaves out its time on the CPU since the kernel last accounted
  // it (a scheduler tick, 4 ms here, or a switch): read so, a 5 ms busy loop measured 0.1–3.6 ms
  // short at p95 (2026-11-29). getrusage(RUSAGE_SELF), which process.cpuUsage() calls, brings
  // the calling thread's runtime up to date first (thread_group_cputime): then p95 0.04–0.08 ms.
  // Its value, every thread's CPU, less the main thread's, is what this process's other threads
  // (the ledger's workers, V8's GC helpers, libuv's pool) ran while the main thread waited: the
  // part of a run-queue wait the process itself caused (2026-11-29, round 19).
  const all = process.cpuUsage();
  const n = readSync(schedFd, schedBuf, 0, schedBuf.length, 0);
  let field = 0;
  let v = 0;
  for (let i = 0; i < n && field < 2; i++) {
    const c = schedBuf[i];
    if (c >= 48 && c <= 57) v = v * 10 + (c - 48);
    else {
      schedOut[field++] = v;
      v = 0;
    }
  }
  return [schedOut[0], schedOut[1], (all.user + all.system) * 1000];
};
const GC_KIND = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};
const gcs = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push({ start: e.startTime, ms: e.duration, kind: e.detail?.kind });
  if (gcs.length > 10_000) gcs.splice(0, 5_000);
}).observe({ entryTypes: ['gc'] });

/** The probe's timer period: a gap between its ticks longer than this is a block. */
const TICK_MS = 1;

function stallProbe() {
  let worst;
  // The gap with the most of the thread's own CPU: the proxy's longest busy stretch, which the
  // longest block (often a wait for a CPU) need not be.
  let busiest;
  let last = performance.now();
  let lastS = sched();
  let on = true;
  const tick = () => {
    const t = performance.now();
    const s = sched();
    const cpuMs = (s[0] - lastS[0]) / 1e6;
    const othersMs = Math.max(0, (s[2] - lastS[2]) / 1e6 - cpuMs);
    if (!worst || t - last > worst.gapMs)
      worst = { at: last, gapMs: t - last, cpuMs, runqMs: (s[1] - lastS[1]) / 1e6, othersMs };
    if (!busiest || cpuMs > busiest.cpuMs)
      busiest = { at: last, gapMs: t - last, cpuMs, runqMs: (s[1] - lastS[1]) / 1e6, othersMs };
    last = t;
    lastS = s;
    if (on) setTimeout(tick, TICK_MS);
  };
  setTimeout(tick, TICK_MS);
  return () => {
    on = false;
    if (!worst) return undefined;
    const w = worst;
    const gcIn = (b) =>
      gcs
        .filter((g) => g.start + g.ms > b.at && g.start < b.at + b.gapMs)
        .map((g) => `${GC_KIND[g.kind] ?? 'gc'} ${g.ms.toFixed(1)}`);
    const gc = gcIn(w);
    // The block is the gap less the timer's own period (as monitorEventLoopDelay counts it); the
    // thread sleeps through that period, so its CPU and run-queue time are all the block's.
    return {
      ...w,
      ms: Math.max(0, w.gapMs - TICK_MS),
      gc,
      busiest: { ...busiest, ms: Math.max(0, busiest.gapMs - TICK_MS), gc: gcIn(busiest) },
    };
  };
}

/** One line on the longest stall: main-thread CPU, waiting for a CPU, GC pauses in it. */
export function whyText(w) {
  if (!w) return '';
  const gc = w.gc.length ? `, GC: ${w.gc.join(' + ')} ms` : '';
  // The rest of the block the thread was neither on a CPU nor runnable: blocked (a lock, I/O, a
  // page fault, V8's GC waiting for its helper threads).
  const rest = w.ms - w.cpuMs - w.runqMs;
  // Its other threads' CPU meanwhile: 0 says the wait was for other processes (the machine's load).
  return `longest ${w.ms.toFixed(1)} ms: main thread on CPU ${w.cpuMs.toFixed(1)}, waiting for a CPU ${w.runqMs.toFixed(1)}${rest >= 1 ? `, blocked ${rest.toFixed(1)}` : ''}${gc}; the process's other threads on a CPU meanwhile ${w.othersMs.toFixed(1)}`;
}

/**
 * Runs an async `fn` `runs` times: median ms, the longest event-loop stall meanwhile split into the
 * main thread's own CPU and its wait for a CPU (`block`; `blockedMs` is its length), the 99th
 * percentile of a 1 ms histogram's delays (which one descheduling of this process by a loaded
 * machine does not move) and that histogram's longest delay (`eldMaxMs`, a cross-check), peak RSS.
 */
export async function measure(fn, runs = 3) {
  const times = [];
  const cpus = [];
  let eldMaxMs = 0;
  let p99Ms = 0;
  let rss = process.memoryUsage().rss;
  let value;
  let why;
  let busiest;
  // The proxy thread's own CPU (schedstat: this thread alone, not the workers') and the main
  // isolate's GC pauses, summed over the runs: what the query costs the proxy, at any load.
  let mainCpuMs = 0;
  const gcPause = { scavenge: 0, 'mark-compact': 0, other: 0 };
  for (let i = 0; i < runs; i++) {
    const h = monitorEventLoopDelay({ resolution: 1 });
    const probe = stallProbe();
    const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 5);
    h.enable();
    const t = performance.now();
    const c = process.cpuUsage();
    const s0 = sched()[0];
    value = await fn();
    mainCpuMs += (sched()[0] - s0) / 1e6;
    times.push(performance.now() - t);
    // CPU of every thread (the read worker's too): what the query costs, whatever the machine's load.
    const d = process.cpuUsage(c);
    cpus.push((d.user + d.system) / 1000);
    // One more turn so a stall in the query's last turn is seen by the histogram.
    await new Promise((r) => setTimeout(r, 2));
    h.disable();
    const w = probe();
    if (w && (!why || w.ms > why.ms)) why = w;
    if (w && (!busiest || w.busiest.cpuMs > busiest.cpuMs)) busiest = w.busiest;
    clearInterval(sampler);
    rss = Math.max(rss, process.memoryUsage().rss);
    eldMaxMs = Math.max(eldMaxMs, h.max / 1e6);
    p99Ms = Math.max(p99Ms, h.percentile(99) / 1e6);
    for (const g of gcs.filter((x) => x.start >= t)) {
      const k = GC_KIND[g.kind];
      gcPause[k === 'scavenge' || k === 'mark-compact' ? k : 'other'] += g.ms;
    }
  }
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  return {
    ms: times[mid],
    cpuMs: cpus[mid],
    mainCpuMs: mainCpuMs / runs,
    gcPause,
    blockedMs: why?.ms ?? 0,
    block: why
      ? { ms: why.ms, cpuMs: why.cpuMs, runqMs: why.runqMs, othersMs: why.othersMs, gc: why.gc }
      : { ms: 0, cpuMs: 0, runqMs: 0, othersMs: 0, gc: [] },
    busiest: busiest ?? { ms: 0, cpuMs: 0, runqMs: 0, othersMs: 0, gc: [] },
    eldMaxMs,
    p99Ms,
    rssMb: rss / 1e6,
    value,
    why: whyText(why),
  };
}

/** The machine's own noise: the longest event-loop delay while this process does nothing. */
export async function idleStall(ms = 2000) {
  return measure(() => new Promise((r) => setTimeout(r, ms)), 1);
}

/**
 * The export's destination as in the product, a socket (an HTTP response's): a pipe to a child
 * process that reads and discards. Counts bytes and notes when the first record line is written
 * (the header is written before any query runs, so the first byte says nothing about the
 * database). Was an in-process Writable (csvSink below) until 2026-11-28: a socket lets go of a
 * chunk once written, which the export now relies on to hand its buffers back to the worker.
 */
export async function socketSink(headerWrites = 1) {
  let t0 = performance.now();
  let bytes = 0;
  let writes = 0;
  let firstRowMs;
  // Resolved once the reader has booted (it says so on stdout): until 2026-11-28 the export
  // started with the reader's spawn, so its boot (~50 ms of a CPU at nice 0) ran beside the export
  // and starved the nice-19 export worker — in the first record's time (96–160 ms) and its stalls.
  // The reader counts the bytes (since 2026-11-29 the export's worker writes a socket's chunks to
  // its descriptor itself, past out.write) and says how many once its stdin ends.
  const child = spawn(
    process.execPath,
    [
      '-e',
      "let n = 0; process.stdin.on('data', (c) => (n += c.length)); process.stdin.on('end', () => process.stdout.write(' ' + n)); process.stdout.write('r')",
    ],
    // In a session of its own (setsid), as a browser or curl downloading the export is: Linux's
    // autogroup scheduler shares a CPU fairly between sessions first, so a reader in the proxy's
    // own session took its CPU from the proxy's share (round 19; said in ARCHITECTURE.md).
    { stdio: ['pipe', 'pipe', 'inherit'], detached: true },
  );
  await new Promise((resolve, reject) => {
    child.stdout.once('data', resolve);
    child.once('error', reject);
  });
  let said = '';
  child.stdout.setEncoding('utf8').on('data', (s) => (said += s));
  const out = child.stdin;
  const write = out.write.bind(out);
  out.write = (chunk, ...rest) => {
    if (++writes === headerWrites + 1) firstRowMs = performance.now() - t0;
    return write(chunk, ...rest);
  };
  const closed = new Promise((r) => child.once('close', r));
  return {
    out,
    /** The export starts now: the first record's time counts from here. */
    start() {
      t0 = performance.now();
    },
    stats: () => ({ bytes, firstRowMs }),
    async close() {
      out.end();
      await closed;
      bytes = Number(said.trim());
    },
  };
}

/**
 * A Writable that counts bytes and notes when the first record line arrives (the header is
 * written before any query runs, so the first byte says nothing about the database).
 */
export function csvSink(headerWrites = 1) {
  const t0 = performance.now();
  let bytes = 0;
  let writes = 0;
  let firstRowMs;
  const out = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk, _enc, cb) {
      bytes += chunk.length;
      if (++writes === headerWrites + 1) firstRowMs = performance.now() - t0;
      // Like a socket: the callback comes a turn later, so backpressure is real.
      setImmediate(cb);
    },
  });
  return { out, stats: () => ({ bytes, firstRowMs }) };
}
