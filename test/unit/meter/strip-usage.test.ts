import { describe, expect, it } from 'vitest';
import {
  isUsageOnlyChunk,
  removeTopLevelNullField,
  topLevelNullFieldSpan,
} from '../../../main/core/meter/strip-usage.js';

describe('removeTopLevelNullField', () => {
  it('removes a middle or last member with its separating comma', () => {
    expect(removeTopLevelNullField('{"a":1,"usage":null,"b":2}', 'usage')).toBe('{"a":1,"b":2}');
    expect(removeTopLevelNullField('{"a":1,"usage":null}', 'usage')).toBe('{"a":1}');
    expect(removeTopLevelNullField('{"a":1, "usage" : null }', 'usage')).toBe('{"a":1 }');
  });

  it('removes a first member with the following comma', () => {
    expect(removeTopLevelNullField('{"usage":null,"a":1}', 'usage')).toBe('{"a":1}');
    expect(removeTopLevelNullField('{"usage":null}', 'usage')).toBe('{}');
  });

  it('leaves nested, string, and non-null occurrences alone', () => {
    const nested = '{"a":{"usage":null},"b":"\\"usage\\":null","c":["usage",null]}';
    expect(removeTopLevelNullField(nested, 'usage')).toBe(nested);
    const tricky = '{"s":"x\\\\","usage":{"prompt_tokens":1}}';
    expect(removeTopLevelNullField(tricky, 'usage')).toBe(tricky);
    expect(removeTopLevelNullField('{"s":"a\\\\","usage":null}', 'usage')).toBe('{"s":"a\\\\"}');
    expect(removeTopLevelNullField('{"usage":nullx}', 'usage')).toBe('{"usage":nullx}');
  });
});

describe('isUsageOnlyChunk', () => {
  it('is true only for choices: [] with a usage object', () => {
    expect(isUsageOnlyChunk({ choices: [], usage: { prompt_tokens: 1 } })).toBe(true);
    expect(isUsageOnlyChunk({ choices: [], usage: null })).toBe(false);
    expect(isUsageOnlyChunk({ choices: [{}], usage: { prompt_tokens: 1 } })).toBe(false);
  });
});

describe('topLevelNullFieldSpan', () => {
  it('finds the byte range after multi-byte characters', () => {
    const b = Buffer.from('{"c":"é世🎉","usage":null,"o":"x"}');
    const span = topLevelNullFieldSpan(b, 0, b.length, 'usage');
    // `{"c":"é世🎉"` is 1+3+1+(1+2+3+4+1) = 16 bytes; `,"usage":null` is 13.
    expect(span).toEqual([16, 29]);
    expect(Buffer.concat([b.subarray(0, 16), b.subarray(29)]).toString()).toBe('{"c":"é世🎉","o":"x"}');
  });

  it('reads nothing outside [start, end)', () => {
    const b = Buffer.from('xx{"a":1,"usage":null}yy');
    expect(topLevelNullFieldSpan(b, 2, b.length - 2, 'usage')).toEqual([8, 21]);
    // Without its closing brace the member is not known to end: nothing is removed.
    expect(topLevelNullFieldSpan(b, 2, b.length - 3, 'usage')).toBeUndefined();
  });
});
