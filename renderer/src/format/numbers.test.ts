// Counts and latencies as people read them, from formatters built once per locale and style.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatCount, formatLatency } from './numbers.js';

afterEach(() => vi.restoreAllMocks());

describe('number formats', () => {
  it('formats counts and latencies', () => {
    expect(formatCount(1234, 'en-US')).toBe('1,234');
    expect(formatCount(12_345, 'en-US')).toBe('12K');
    expect(formatLatency(999.4, 'en-US')).toBe('999 ms');
    expect(formatLatency(1234, 'en-US')).toBe('1.2 s');
  });

  it('builds one formatter per locale and style, not one per call', () => {
    const Real = Intl.NumberFormat;
    let built = 0;
    // A plain function, so `new` works on it; returning an object makes `new` give that object.
    function Counting(...args: ConstructorParameters<typeof Real>) {
      built++;
      return new Real(...args);
    }
    vi.spyOn(Intl, 'NumberFormat').mockImplementation(Counting as unknown as typeof Intl.NumberFormat);
    for (let i = 0; i < 100; i++) {
      formatCount(i * 300, 'de-DE');
      formatLatency(i * 30, 'de-DE');
    }
    // de-DE: standard and compact counts, whole and tenths latencies.
    expect(built).toBeLessThanOrEqual(4);
    expect(formatCount(1234, 'de-DE')).toBe('1.234');
  });
});
