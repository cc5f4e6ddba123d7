import { describe, expect, it } from 'vitest';
import { isUsageOnlyChunk, removeTopLevelNullField } from '../../../main/core/meter/strip-usage.js';

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
