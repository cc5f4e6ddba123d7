import { describe, expect, it } from 'vitest';
import { formatUsd, formatUsdAxis } from './money.js';

describe('formatUsd', () => {
  it('keeps significant digits for sub-cent costs (the WIRE-FACTS worked example)', () => {
    expect(formatUsd(0.000435, 'en-US')).toBe('$0.000435');
    expect(formatUsd(0.0000012345, 'en-US')).toBe('$0.00000123');
  });
  it('shows cents for ordinary amounts, with grouping', () => {
    expect(formatUsd(12.345, 'en-US')).toBe('$12.35');
    expect(formatUsd(1234.5, 'en-US')).toBe('$1,234.50');
    expect(formatUsd(1, 'en-US')).toBe('$1.00');
  });
  it('shows up to 4 decimals between a cent and a dollar', () => {
    expect(formatUsd(0.5, 'en-US')).toBe('$0.50');
    expect(formatUsd(0.1234, 'en-US')).toBe('$0.1234');
    expect(formatUsd(0.01, 'en-US')).toBe('$0.01');
  });
  it('never shows an unknown cost as $0', () => {
    expect(formatUsd(null, 'en-US')).toBe('unpriced');
    expect(formatUsd(0, 'en-US')).toBe('$0.00');
  });
  it('follows the locale', () => {
    expect(formatUsd(1234.5, 'de-DE')).toMatch(/^1\.234,50\s\$$/);
  });
  it('axis ticks stay short and non-zero', () => {
    expect(formatUsdAxis(0.0042, 'en-US')).toBe('$0.0042');
    expect(formatUsdAxis(1500, 'en-US')).toBe('$1.5K');
  });
});
