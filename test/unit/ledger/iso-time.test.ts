// The ledger's time fast path (store/iso-time.ts) answers exactly what Date.parse and a
// toISOString() comparison answer, for the exact form it skips them on and for every near miss.
import { describe, expect, it } from 'vitest';
import { isIsoOf, isoTimeMs } from '../../../main/core/store/iso-time.js';
import { toRow } from '../../../main/core/store/record-row.js';
import { sampleRecord } from '../../../main/core/store/samples.js';

const rowAt = (time: string) => toRow({ ...sampleRecord, time }, '2026-11-30');

const base = Date.UTC(2026, 10, 29, 23, 59, 59, 0);
const canonical = (ms: number) => new Date(ms).toISOString();

/** Spellings of (nearly) the same instant that are not toISOString()'s form, or not a time at all. */
function nearMisses(ms: number): string[] {
  const iso = canonical(ms);
  return [
    iso.replace('Z', 'z'),
    iso.slice(0, 23), // no zone: local time
    iso.replace('Z', '+00:00'),
    iso.slice(0, 20) + iso.slice(20, 22) + 'Z', // two digits of milliseconds
    iso.slice(0, 20) + 'a' + iso.slice(21),
    iso.slice(0, 20) + '/' + iso.slice(21), // one below '0'
    iso.slice(0, 20) + ':' + iso.slice(21), // one above '9'
    iso.slice(0, 22) + ' Z',
    '2026-11-29T24:00:00.000Z', // the next day's midnight, spelled another way
    '2026-11-30T00:00:00.000Z',
    '2026-02-30T23:59:59.500Z', // V8 parses it (as March 2)
    '+002026-11-29T23:59:59.500Z',
    '',
  ];
}

describe('ledger time parsing', () => {
  it('agrees with Date.parse and toISOString() on exact forms and near misses, cached or not', () => {
    // Twice: the first pass fills the cached second, the second meets it.
    for (let pass = 0; pass < 2; pass++)
      for (let ms = base - 1500; ms < base + 1500; ms += 7) {
        for (const time of [canonical(ms), ...nearMisses(ms)]) {
          const parsed = Date.parse(time);
          expect(isoTimeMs(time), time).toBe(parsed);
          if (!Number.isNaN(parsed)) expect(isIsoOf(time, parsed), time).toBe(canonical(parsed) === time);
          expect(isIsoOf(time, ms), `${time} vs ${ms}`).toBe(canonical(ms) === time);
        }
      }
  });

  it('keeps a non-canonical time verbatim even within the second just seen', () => {
    const seen = '2026-11-30T00:00:00.000Z';
    expect(rowAt(seen).extra).toBeNull(); // and caches that second
    const other = rowAt('2026-11-29T24:00:00.000Z');
    expect(other.time_ms).toBe(Date.parse(seen));
    expect(other.extra).toBe(JSON.stringify({ time: '2026-11-29T24:00:00.000Z' }));
  });
});
