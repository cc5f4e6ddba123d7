import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../main/core/cache/index.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
    ['500ms', 500],
    [' 2H ', 7_200_000],
    ['1 d', 86_400_000],
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '10', 'h', '1.5h', '-1h', '3w', '1h30m', 'abc', '10 minutes'])(
    'rejects %j clearly',
    (text) => {
      expect(() => parseDuration(text)).toThrow(/invalid duration .*e\.g\. 30s, 15m, 24h or 7d/);
    },
  );

  it('rejects zero and absurdly long durations', () => {
    expect(() => parseDuration('0s')).toThrow(/greater than zero/);
    expect(() => parseDuration('99999999999999d')).toThrow(/too long/);
  });
});
