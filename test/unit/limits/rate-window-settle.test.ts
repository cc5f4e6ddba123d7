// RateWindow.settle against the simplest list of entries: requests and token-only entries (what
// an answer used beyond what its request's entry held, counted from its settle), through bursts,
// quiet minutes, releases, and answers settling before and after their entry left the minute.
import { describe, expect, it } from 'vitest';
import { RateWindow, WINDOW_MS } from '../../../main/core/limits/rate-window.js';
import { ListWindow, random } from './list-window.js';

describe('RateWindow.settle', () => {
  it('answers as a plain list does with token-only entries for what answers used beyond their estimate', () => {
    const rnd = random(11);
    const w = new RateWindow();
    const list = new ListWindow();
    const open: Array<{ entry: number; seq: number; estimate: number }> = [];
    let now = 1_700_000_000_000;
    let late = 0;
    let settledAfterLeaving = 0;
    for (let step = 0; step < 20_000; step++) {
      const r = rnd();
      if (r < 0.002) now += Math.floor(rnd() * 2 * WINDOW_MS);
      else now += Math.floor(rnd() * 40);
      if (rnd() < 0.55) {
        const estimate = Math.floor(rnd() * 500);
        open.push({ entry: w.add(now, estimate), seq: list.add(now, estimate), estimate });
      } else if (open.length > 0) {
        const o = open.splice(Math.floor(rnd() * open.length), 1)[0]!;
        if (list.entries.every((e) => e.seq !== o.seq)) settledAfterLeaving++;
        if (rnd() < 0.1) {
          w.setTokens(o.entry, 0, now);
          list.release(o.seq, now);
        } else {
          const actual = Math.floor(rnd() * 800);
          if (actual > o.estimate) late++;
          w.settle(o.entry, o.estimate, actual, now);
          list.settle(o.seq, o.estimate, actual, now);
        }
      }
      const rpm = 1 + Math.floor(rnd() * 1_000);
      const tpm = 1 + Math.floor(rnd() * 200_000);
      const need = Math.floor(rnd() * 2_000);
      expect(w.usage(now)).toEqual(list.usage(now));
      expect(w.requestWaitMs(now, rpm)).toBe(list.requestWaitMs(now, rpm));
      expect(w.tokenWaitMs(now, tpm, need)).toBe(list.tokenWaitMs(now, tpm, need));
      expect(w.resetMs(now, 'requests')).toBe(list.resetMs(now, 'requests'));
      expect(w.resetMs(now, 'tokens')).toBe(list.resetMs(now, 'tokens'));
    }
    // The walk did make token-only entries, and settled entries that had left the minute.
    expect(late).toBeGreaterThan(1_000);
    expect(settledAfterLeaving).toBeGreaterThan(100);
  });

  it('counts an answer settled after its minute for the minute after, as tokens and no request', () => {
    const w = new RateWindow();
    const t0 = 1_700_000_000_000;
    const e = w.add(t0, 4_104);
    w.settle(e, 4_104, 50_008, t0 + 61_000);
    expect(w.usage(t0 + 61_000)).toEqual({ requests: 0, tokens: 45_904 });
    expect(w.tokenWaitMs(t0 + 61_000, 10_000, 100)).toBe(60_000);
    expect(w.requestWaitMs(t0 + 61_000, 1)).toBe(0);
    expect(w.usage(t0 + 121_000)).toEqual({ requests: 0, tokens: 0 });
  });
});
