import { describe, expect, it } from 'vitest';
import { usageLevel, usagePercent } from './level.js';

describe('usageLevel', () => {
  it('is ok below 80%', () => {
    expect(usageLevel(0, 10)).toBe('ok');
    expect(usageLevel(7.99, 10)).toBe('ok');
  });
  it('turns amber at exactly 80%, even where float division says 0.7999…', () => {
    expect(usageLevel(8, 10)).toBe('warn');
    expect(0.04 / 0.05).toBeLessThan(0.8); // the trap this guards against
    expect(usageLevel(0.04, 0.05)).toBe('warn');
    expect(usageLevel(0.24, 0.3)).toBe('warn');
    expect(usageLevel(9.99, 10)).toBe('warn');
  });
  it('turns red at exactly 100% and above', () => {
    expect(usageLevel(10, 10)).toBe('over');
    expect(usageLevel(0.1 + 0.2, 0.3)).toBe('over'); // 0.30000000000000004 vs 0.3
    expect(usageLevel(12, 10)).toBe('over');
  });
  it('works for integer rate limits', () => {
    expect(usageLevel(47, 60)).toBe('ok');
    expect(usageLevel(48, 60)).toBe('warn');
    expect(usageLevel(60, 60)).toBe('over');
  });
  it('treats a zero limit as over only once something is used', () => {
    expect(usageLevel(0, 0)).toBe('ok');
    expect(usageLevel(1, 0)).toBe('over');
  });
});

describe('usagePercent', () => {
  it('clamps to 0-100', () => {
    expect(usagePercent(2.5, 10)).toBe(25);
    expect(usagePercent(15, 10)).toBe(100);
    expect(usagePercent(-1, 10)).toBe(0);
  });
});
