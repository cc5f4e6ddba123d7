// The sliding RPM/TPM window on its own: the same answers as a plain list of entries, across the
// ring's growth, wrap-around and shrinking, and what a busy minute costs the JavaScript heap.
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { RateWindow, WINDOW_MS } from '../../../main/core/limits/rate-window.js';
import { ListWindow, random } from './list-window.js';
import { gc } from '../../support/gc.js';

/** Every answer a window gives at `now`, in one list to compare. */
function answers(w: RateWindow | ListWindow, now: number, rpm: number, tpm: number, need: number): number[] {
  const { requests, tokens } = w.usage(now);
  return [
    requests,
    tokens,
    w.requestWaitMs(now, rpm),
    w.tokenWaitMs(now, tpm, need),
    w.resetMs(now, 'requests'),
    w.resetMs(now, 'tokens'),
  ];
}

describe('RateWindow', () => {
  it('answers as a plain list does through bursts, quiet minutes, late settles and a clock stepping back', () => {
    const rnd = random(7);
    const w = new RateWindow();
    const list = new ListWindow();
    // Each open request's place in both windows, settled later in random order.
    const open: [ReturnType<RateWindow['add']>, number][] = [];
    let now = 1_700_000_000_000;
    let peak = 0;
    for (let step = 0; step < 60_000; step++) {
      const r = rnd();
      // Bursts of many requests within a few ms, then quiet spells of up to two minutes: the ring
      // grows past its first sizes, wraps, and shrinks again.
      if (r < 0.0002) now += Math.floor(rnd() * 2 * WINDOW_MS);
      else if (r < 0.0006)
        now -= Math.floor(rnd() * 5_000); // a clock stepping back
      else now += Math.floor(rnd() * 2);
      const tokens = Math.floor(rnd() * 500);
      if (rnd() < 0.6) {
        open.push([w.add(now, tokens), list.add(now, tokens)]);
      } else if (open.length > 0) {
        const [entry, seq] = open.splice(Math.floor(rnd() * open.length), 1)[0]!;
        const actual = Math.floor(rnd() * 800);
        w.setTokens(entry, actual, now);
        list.setTokens(seq, actual, now);
      }
      const rpm = 1 + Math.floor(rnd() * 3_000);
      const tpm = 1 + Math.floor(rnd() * 400_000);
      const need = Math.floor(rnd() * 2_000);
      // Compared as plain values, and handed to expect only when they differ: 300,000 expect calls
      // took this test past its 20 s timeout on a loaded 2-core machine.
      const got = answers(w, now, rpm, tpm, need);
      const want = answers(list, now, rpm, tpm, need);
      if (got.some((v, i) => v !== want[i])) expect({ step, answers: got }).toEqual({ step, answers: want });
      peak = Math.max(peak, list.entries.length);
    }
    // The walk did fill the ring well past its first size, and emptied it again.
    expect(peak).toBeGreaterThan(2_000);
  });

  it('keeps a busy minute off the JavaScript heap: 100,000 requests in it take under 1 MB of heap', () => {
    // As one object per request (with its boxed millisecond timestamp) they took ~6.4 MB of old
    // generation, which the GC copied twice and then traced for a minute each (issue 16).
    const w = new RateWindow();
    gc();
    gc();
    const before = getHeapStatistics().used_heap_size;
    const start = 1_700_000_000_000;
    for (let i = 0; i < 100_000; i++) w.add(start + i / 2, 40);
    gc();
    gc();
    const grew = getHeapStatistics().used_heap_size - before;
    expect(w.usage(start + 50_000).requests).toBe(100_000);
    expect(grew).toBeLessThan(1024 * 1024);
  });
});
