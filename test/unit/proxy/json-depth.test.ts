import { describe, expect, it } from 'vitest';
import { jsonDeeperThan } from '../../../main/core/proxy/json-depth.js';

const nest = (d: number, inner = '1') => '['.repeat(d) + inner + ']'.repeat(d);
const b = (s: string) => Buffer.from(s);

describe('jsonDeeperThan', () => {
  it('counts array and object levels', () => {
    expect(jsonDeeperThan(b(nest(10)), 10)).toBe(false);
    expect(jsonDeeperThan(b(nest(11)), 10)).toBe(true);
    expect(jsonDeeperThan(b('{"a":'.repeat(11) + '1' + '}'.repeat(11)), 10)).toBe(true);
    expect(jsonDeeperThan(b(nest(20_000)), 512)).toBe(true);
  });
  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDeeperThan(b(JSON.stringify({ s: '['.repeat(5000) })), 10)).toBe(false);
    expect(jsonDeeperThan(b(JSON.stringify({ s: '\\"[[[[[[[[[[[[' + '"'.repeat(3) + '\\\\' })), 3)).toBe(
      false,
    );
    expect(jsonDeeperThan(b(JSON.stringify([{ s: 'a"b\\' }, [[[[1]]]]])), 4)).toBe(true);
  });
  it('sibling levels do not add up', () => {
    expect(jsonDeeperThan(b(JSON.stringify(Array.from({ length: 1000 }, () => [[1]]))), 3)).toBe(false);
  });
});
