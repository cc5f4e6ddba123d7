import { describe, expect, it } from 'vitest';
import { keepUnchanged } from './keep-unchanged.js';

describe('keepUnchanged', () => {
  it('keeps the previous identity of every unchanged part', () => {
    const prev = {
      now: 'a',
      tools: [
        { name: 'x', day: { spentUsd: 1 } },
        { name: 'y', day: null },
      ],
    };
    const next = {
      now: 'b',
      tools: [
        { name: 'x', day: { spentUsd: 2 } },
        { name: 'y', day: null },
      ],
    };
    const out = keepUnchanged(prev, next);
    expect(out).toEqual(next);
    expect(out).not.toBe(prev);
    expect(out.tools[1]).toBe(prev.tools[1]);
    expect(out.tools[0]).not.toBe(prev.tools[0]);
  });

  it('returns the previous value itself when nothing changed', () => {
    const prev = { a: [1, 2], b: { c: 'd' } };
    expect(keepUnchanged(prev, { a: [1, 2], b: { c: 'd' } })).toBe(prev);
    expect(keepUnchanged(undefined, prev)).toBe(prev);
  });

  it('sees added, removed and reordered parts as changes', () => {
    const prev = { a: 1, list: [1, 2] } as Record<string, unknown>;
    expect(keepUnchanged(prev, { a: 1, b: undefined, list: [1, 2] })).not.toBe(prev);
    expect(keepUnchanged(prev, { list: [1, 2] })).not.toBe(prev);
    expect(keepUnchanged(prev, { a: 1, list: [2, 1] })).not.toBe(prev);
  });
});
