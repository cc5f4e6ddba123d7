// The sliding RPM/TPM window on its own: the same answers as a plain list of entries, across the
// ring's growth, wrap-around and shrinking, and what a busy minute costs the JavaScript heap.
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { RateWindow, WINDOW_MS } from '../../../main/core/limits/rate-window.js';
import { gc } from '../../support/gc.js';

/** The window as the simplest list: what RateWindow must answer. */
class ListWindow {
  entries: { seq: number; at: number; tokens: number }[] = [];
  sum = 0;
  next = 0;
  prune(now: number) {
    while (this.entries.length > 0 && this.entries[0]!.at + WINDOW_MS <= now)
      this.sum -= this.entries.shift()!.tokens;
  }
  add(now: number, tokens: number) {
    this.entries.push({ seq: this.next, at: now, tokens });
    this.sum += tokens;
    return this.next++;
  }
  setTokens(seq: number, tokens: number, now: number) {
    this.prune(now);
    const e = this.entries.find((x) => x.seq === seq);
    if (!e) return;
    this.sum += tokens - e.tokens;
    e.tokens = tokens;
  }
  usage(now: number) {
    this.prune(now);
    return { requests: this.entries.length, tokens: this.sum };
  }
  requestWaitMs(now: number, rpm: number) {
    this.prune(now);
    const must = this.entries.length - rpm + 1;
    return must <= 0 ? 0 : this.entries[must - 1]!.at + WINDOW_MS - now;
  }
  tokenWaitMs(now: number, tpm: number, need: number) {
    if (need > tpm) return Infinity;
    this.prune(now);
    let used = this.sum;
    if (used + need <= tpm) return 0;
    // The 256 oldest at most: past them, when the 256th leaves (too early, never too late).
    let walked = 0;
    for (const e of this.entries) {
      used -= e.tokens;
      if (used + need <= tpm || ++walked === 256) return e.at + WINDOW_MS - now;
    }
    return WINDOW_MS;
  }
  resetMs(now: number, metric: 'requests' | 'tokens') {
    this.prune(now);
    const e = this.entries.find((x) => metric === 'requests' || x.tokens > 0);
    return e ? e.at + WINDOW_MS - now : 0;
  }
}

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

/** A small deterministic PRNG (mulberry32): the same sequence on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
