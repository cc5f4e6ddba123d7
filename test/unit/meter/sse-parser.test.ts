import { describe, expect, it } from 'vitest';
import { createSseSplitter, type SseEvent } from '../../../main/core/meter/sse-parser.js';

function feed(parts: Buffer[]): { events: SseEvent[]; rest: SseEvent | undefined } {
  const s = createSseSplitter();
  const events = parts.flatMap((p) => s.push(p));
  return { events, rest: s.flush() };
}

describe('createSseSplitter', () => {
  const text =
    'event: a\ndata: {"x":"é世🎉"}\n\nid: 7\ndata: line1\ndata: line2\n\n: comment\n\ndata: [DONE]\n\n';
  const bytes = Buffer.from(text, 'utf8');

  it('splits events at blank lines and reads event/data fields', () => {
    const { events, rest } = feed([bytes]);
    expect(events.map((e) => [e.event, e.data])).toEqual([
      ['a', '{"x":"é世🎉"}'],
      [undefined, 'line1\nline2'],
      [undefined, undefined],
      [undefined, '[DONE]'],
    ]);
    expect(rest).toBeUndefined();
    expect(Buffer.concat(events.map((e) => e.raw)).equals(bytes)).toBe(true);
  });

  it('gives the same events for a split at every byte offset, even inside a UTF-8 character', () => {
    const whole = feed([bytes]).events.map((e) => [e.event, e.data, e.raw.toString('hex')]);
    for (let i = 1; i < bytes.length; i++) {
      const { events } = feed([bytes.subarray(0, i), bytes.subarray(i)]);
      expect(events.map((e) => [e.event, e.data, e.raw.toString('hex')])).toEqual(whole);
    }
  });

  it('handles CRLF and bare CR line endings, including a CR that ends a chunk', () => {
    const crlf = Buffer.from('data: one\r\n\r\ndata: two\r\rdata: three\n\n');
    const expected = ['one', 'two', 'three'];
    for (let i = 1; i < crlf.length; i++) {
      const { events } = feed([crlf.subarray(0, i), crlf.subarray(i)]);
      expect(events.map((e) => e.data)).toEqual(expected);
    }
    const { events } = feed([...crlf].map((b) => Buffer.from([b])));
    expect(events.map((e) => e.raw.toString())).toEqual([
      'data: one\r\n\r\n',
      'data: two\r\r',
      'data: three\n\n',
    ]);
  });

  it('returns an event as soon as its blank line arrives and holds only the partial one', () => {
    const s = createSseSplitter();
    expect(s.push(Buffer.from('data: a\n\ndata: b'))).toHaveLength(1);
    expect(s.push(Buffer.from('\n'))).toHaveLength(0);
    expect(s.push(Buffer.from('\n')).map((e) => e.data)).toEqual(['b']);
    s.push(Buffer.from('data: cut'));
    expect(s.flush()?.data).toBe('cut');
    expect(s.flush()).toBeUndefined();
  });
});
