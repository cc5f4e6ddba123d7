// How long the event loop was held at a time while some work ran: the longest gap between two
// turns (setImmediate ticks, the synchronous start of the work included) and how many turns
// passed. A gap counts this thread's CPU time (Linux: /proc/thread-self/schedstat), not the wall
// clock: on a loaded 2-core machine a descheduled thread shows long wall gaps it did not cause.
// Tests judge the gap against a control measured in the same test, never a fixed limit.
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const SCHEDSTAT = '/proc/thread-self/schedstat';
/** This thread's CPU time in ms (the wall clock where the kernel does not say). */
export const threadCpuMs: () => number = existsSync(SCHEDSTAT)
  ? () => Number(readFileSync(SCHEDSTAT, 'latin1').split(' ')[0]) / 1e6
  : () => performance.now();

export async function turnsDuring(
  work: () => Promise<unknown>,
): Promise<{ longestMs: number; turns: number }> {
  let longestMs = 0;
  let turns = 0;
  let last = threadCpuMs();
  let on = true;
  const tick = () => {
    const t = threadCpuMs();
    longestMs = Math.max(longestMs, t - last);
    last = t;
    turns++;
    if (on) setImmediate(tick);
  };
  setImmediate(tick);
  try {
    await work();
  } finally {
    on = false;
  }
  // The turn that ends the work is measured too.
  await new Promise((resolve) => setImmediate(resolve));
  return { longestMs, turns };
}

/** The least of `runs` timings of `fn` run in one turn (ms of this thread's CPU). */
export function oneTurnMs(fn: () => unknown, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = threadCpuMs();
    fn();
    best = Math.min(best, threadCpuMs() - t);
  }
  return best;
}
