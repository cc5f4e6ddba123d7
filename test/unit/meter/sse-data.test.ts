import { describe, expect, it } from 'vitest';
import { readSseData } from '../../../main/core/meter/sse-data.js';
import { createSseFramer, parseEvent } from '../../../main/core/meter/sse-parser.js';

describe('readSseData', () => {
  const cases: Array<[string, string | undefined, boolean]> = [
    ['data: x\n\n', 'x', true],
    ['event: a\ndata: {"x":"é世🎉"}\n\n', '{"x":"é世🎉"}', true],
    ['data:x\r\n\r\n', 'x', true],
    ['id: 1\ndata:  two\n\n', ' two', true],
    ['data\n\n', '', true],
    ['dataX: no\ndata: yes\n\n', 'yes', true],
    [': comment\n\n', undefined, false],
    ['event: ping\n\n', undefined, false],
    ['data: a\rdata: b\r\r', 'a\nb', false],
    ['data: a\r\ndata:\r\ndata: c\r\n\r\n', 'a\n\nc', false],
  ];
  for (const [text, data, single] of cases) {
    it(`reads ${JSON.stringify(text)} as parseEvent does`, () => {
      const raw = Buffer.from(text);
      const got = readSseData(raw);
      expect(got?.text).toBe(data);
      expect(parseEvent(raw).data).toBe(data);
      if (!got) return;
      if (single) expect(raw.toString('utf8', got.start, got.end)).toBe(data);
      else expect([got.start, got.end]).toEqual([-1, -1]);
    });
  }
});

describe('createSseFramer', () => {
  it('forwards whole events as the very chunk and holds a partial one (copied) until it completes', () => {
    const f = createSseFramer();
    const seen: string[] = [];
    const on = (raw: Buffer) => seen.push(raw.toString());
    const whole = Buffer.from('data: a\n\ndata: b\n\n');
    expect(f.push(whole, on)).toBe(whole);
    const part = Buffer.from('data: c\r');
    expect(f.push(part, on)).toHaveLength(0);
    part.fill(0); // the caller may reuse its buffer
    expect(f.push(Buffer.from('\n\r\ndata: d'), on).toString()).toBe('data: c\r\n\r\n');
    expect(f.flush()?.toString()).toBe('data: d');
    expect(seen).toEqual(['data: a\n\n', 'data: b\n\n', 'data: c\r\n\r\n']);
  });
});
