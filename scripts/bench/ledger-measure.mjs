// How one ledger query is measured in the process that holds the ledger (as `shimmy serve` does):
// its median time over a few runs, the longest event-loop stall meanwhile (what the proxy in this
// process would have waited), and peak RSS, sampled every 5 ms.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';

/**
 * Runs an async `fn` `runs` times: median ms, the longest event-loop stall meanwhile (and the 99th
 * percentile of the 1 ms probe's delays, which one descheduling of this process by a loaded machine
 * does not move), peak RSS.
 */
export async function measure(fn, runs = 3) {
  const times = [];
  const cpus = [];
  let blockedMs = 0;
  let p99Ms = 0;
  let rss = process.memoryUsage().rss;
  let value;
  for (let i = 0; i < runs; i++) {
    const h = monitorEventLoopDelay({ resolution: 1 });
    const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 5);
    h.enable();
    const t = performance.now();
    const c = process.cpuUsage();
    value = await fn();
    times.push(performance.now() - t);
    // CPU of every thread (the read worker's too): what the query costs, whatever the machine's load.
    const d = process.cpuUsage(c);
    cpus.push((d.user + d.system) / 1000);
    // One more turn so a stall in the query's last turn is seen by the histogram.
    await new Promise((r) => setTimeout(r, 2));
    h.disable();
    clearInterval(sampler);
    rss = Math.max(rss, process.memoryUsage().rss);
    blockedMs = Math.max(blockedMs, h.max / 1e6);
    p99Ms = Math.max(p99Ms, h.percentile(99) / 1e6);
  }
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  return { ms: times[mid], cpuMs: cpus[mid], blockedMs, p99Ms, rssMb: rss / 1e6, value };
}

/** The machine's own noise: the longest event-loop delay while this process does nothing. */
export async function idleStall(ms = 2000) {
  return measure(() => new Promise((r) => setTimeout(r, ms)), 1);
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
