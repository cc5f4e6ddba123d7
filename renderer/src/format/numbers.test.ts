// Counts and latencies as people read them, from formatters built once per locale and style.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatCount, formatLatency } from './numbers.js';
import { countNumberFormats } from '../test-support/count-number-formats.js';

afterEach(() => vi.restoreAllMocks());

describe('number formats', () => {
  it('formats counts and latencies', () => {
    expect(formatCount(1234, 'en-US')).toBe('1,234');
    expect(formatCount(12_345, 'en-US')).toBe('12K');
    expect(formatLatency(999.4, 'en-US')).toBe('999 ms');
    expect(formatLatency(1234, 'en-US')).toBe('1.2 s');
  });

  it('builds one formatter per locale and style, not one per call', () => {
    const formats = countNumberFormats();
    for (let i = 0; i < 100; i++) {
      formatCount(i * 300, 'de-DE');
      formatLatency(i * 30, 'de-DE');
    }
    // de-DE: standard and compact counts, whole and tenths latencies.
    expect(formats.built).toBeLessThanOrEqual(4);
    expect(formatCount(1234, 'de-DE')).toBe('1.234');
  });
});
