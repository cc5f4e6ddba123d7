import { describe, expect, it } from 'vitest';
import { isoTime } from '../../../main/core/proxy/iso-time.js';

describe('isoTime (a request time as the ledger writes it)', () => {
  it('equals toISOString through minute, hour, day and year boundaries, in order and out of it', () => {
    const times: number[] = [];
    // Every 7 ms (so each millisecond digit comes up) for 2.5 minutes around a year's end…
    const newYear = Date.UTC(2027, 0, 1);
    for (let t = newYear - 75_000; t < newYear + 75_000; t += 7) times.push(t);
    // …then jumps: back in time, before 1970, and back into a minute seen before.
    times.push(newYear - 30_001, Date.UTC(1969, 11, 31, 23, 59, 59, 999), 0, -1, newYear + 1, newYear - 1);
    for (const t of times) {
      const d = new Date(t);
      expect(isoTime(d)).toBe(d.toISOString());
    }
  });

  it('formats dates outside four-digit years like toISOString and throws like it for an invalid date', () => {
    const far = new Date(Date.UTC(10_000, 0, 1, 0, 0, 5, 3));
    expect(isoTime(far)).toBe(far.toISOString());
    // The same minute again: its six-digit year's prefix is not the four-digit one.
    const sameMinute = new Date(far.getTime() + 1000);
    expect(isoTime(sameMinute)).toBe(sameMinute.toISOString());
    // A normal date after a far one: the far one's prefix was never kept.
    const near = new Date(Date.UTC(10_000, 0, 1, 0, 0, 9)).getTime() - 8000 * 365 * 86_400_000;
    expect(isoTime(new Date(near))).toBe(new Date(near).toISOString());
    expect(() => isoTime(new Date(NaN))).toThrow(RangeError);
  });
});
