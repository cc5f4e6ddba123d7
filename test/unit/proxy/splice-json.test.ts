// The body Shimmy sends upstream is the client's own bytes with only the members it changes
// spliced in (issue 16): byte-for-byte expectations, written by hand.
import { describe, expect, it } from 'vitest';
import { topLevelObject } from '../../../main/core/proxy/json-scan.js';
import { bodyEdits, readRequestMeta } from '../../../main/core/proxy/request-meta.js';
import { inTurns, TURN_BYTES } from '../../../main/core/proxy/copy-turns.js';
import { spliceMembers } from '../../../main/core/proxy/splice-json.js';
import type { PathClass } from '../../../main/core/route/classify-path.js';
import { countLoopTurns } from '../../support/loop-turns.js';

const chat: PathClass = { family: 'openai', endpoint: 'chat', upstreamPath: '/v1/chat/completions' };

/** What goes upstream for `body` routed to `upstreamModel` (the proxy's own steps, in order). */
function upstreamBytes(body: string, upstreamModel?: string): string {
  const bytes = Buffer.from(body);
  const json = JSON.parse(body) as Record<string, unknown>;
  const meta = readRequestMeta(chat, json);
  const edits = bodyEdits(json, meta, upstreamModel ?? meta.model, chat);
  if (!edits) return body;
  const out = spliceMembers(bytes, topLevelObject(bytes)!, edits);
  // Whatever the bytes, the upstream must read what the proxy meant.
  const sent = JSON.parse(out.toString()) as Record<string, unknown>;
  expect((sent.stream_options as { include_usage?: unknown } | undefined)?.include_usage).toBe(
    meta.addedUsage ? true : (sent.stream_options as { include_usage?: unknown } | undefined)?.include_usage,
  );
  return out.toString();
}

describe('adding stream_options.include_usage to the client bytes', () => {
  it('appends it when absent, leaving every other byte as sent', () => {
    expect(
      upstreamBytes('{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}'),
    ).toBe(
      '{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true}}',
    );
  });

  it('keeps whitespace, key order and newlines', () => {
    const body = '{\n  "stream": true,\n  "model" : "gpt-4o",\n  "messages": [ ]\n}\n';
    expect(upstreamBytes(body)).toBe(
      '{\n  "stream": true,\n  "model" : "gpt-4o",\n  "messages": [ ],"stream_options":{"include_usage":true}\n}\n',
    );
  });

  it('sets include_usage inside an existing stream_options (false or absent), keeping its other options', () => {
    expect(
      upstreamBytes('{"stream":true, "stream_options": {"include_usage": false, "x": 1} ,"model":"m"}'),
    ).toBe('{"stream":true, "stream_options": {"include_usage":true,"x":1} ,"model":"m"}');
    expect(upstreamBytes('{"stream":true,"stream_options":{"x":[1,{"y":"}"}]},"model":"m"}')).toBe(
      '{"stream":true,"stream_options":{"x":[1,{"y":"}"}],"include_usage":true},"model":"m"}',
    );
    expect(upstreamBytes('{"stream":true,"stream_options":null}')).toBe(
      '{"stream":true,"stream_options":{"include_usage":true}}',
    );
  });

  it('leaves a body that asked for usage itself untouched', () => {
    const body = '{"stream":true,"stream_options":{"include_usage":true},"model":"m"}';
    expect(upstreamBytes(body)).toBe(body);
  });

  it('with a repeated key edits the occurrence JSON.parse keeps and removes the earlier ones', () => {
    expect(
      upstreamBytes(
        '{"stream_options":{"include_usage":true},"stream":true,"stream_options":{"include_usage":false},"model":"m"}',
      ),
    ).toBe('{"stream":true,"stream_options":{"include_usage":true},"model":"m"}');
    // The last repeat is the last member: the earlier one goes with its comma.
    expect(
      upstreamBytes('{"stream":true,"stream_options":{},"model":"m", "stream_options" :{"include_usage":0}}'),
    ).toBe('{"stream":true,"model":"m", "stream_options" :{"include_usage":true}}');
  });

  it('reads keys written with unicode escapes and leaves escapes in content as sent', () => {
    const body =
      '{"stream":true,"stream\\u005foptions":{"include\\u005fusage":false},"messages":[{"role":"user","content":"caf\\u00e9 café 🚀 \\"q\\" \\\\"}],"model":"m"}';
    expect(upstreamBytes(body)).toBe(
      '{"stream":true,"stream\\u005foptions":{"include_usage":true},"messages":[{"role":"user","content":"caf\\u00e9 café 🚀 \\"q\\" \\\\"}],"model":"m"}',
    );
  });

  it('splices the routed model name too, and nothing else', () => {
    expect(
      upstreamBytes(
        '{"model" : "fast", "stream":true,"stream_options":{"include_usage":true}}',
        'llama-3.1-8b',
      ),
    ).toBe('{"model" : "llama-3.1-8b", "stream":true,"stream_options":{"include_usage":true}}');
    expect(upstreamBytes('{ "stream":true, "model":"fast" }', 'gpt-4o')).toBe(
      '{ "stream":true, "model":"gpt-4o","stream_options":{"include_usage":true} }',
    );
  });
});

describe('topLevelObject', () => {
  it('finds members across nested strings with braces, brackets and escaped quotes', () => {
    const body = Buffer.from('{"a":"}\\"{","b":[{"c":"]"}],"d":-1.5e3 ,"e":true}');
    expect(
      topLevelObject(body)!.members.map((m) => [m.key, body.toString('utf8', m.valueStart, m.valueEnd)]),
    ).toEqual([
      ['a', '"}\\"{"'],
      ['b', '[{"c":"]"}]'],
      ['d', '-1.5e3'],
      ['e', 'true'],
    ]);
  });

  it('refuses text that is not JSON structure', () => {
    expect(() => topLevelObject(Buffer.from('{"a" 1}'))).toThrow(SyntaxError);
    expect(() => topLevelObject(Buffer.from('{"a":1 "b":2}'))).toThrow(SyntaxError);
    expect(() => topLevelObject(Buffer.from('{"a":"x'))).toThrow(SyntaxError);
  });
});

// A big body is written upstream a turn's budget at a time (copy-turns.ts): undici writes the next
// piece in the same turn whenever the socket took the last one, so 20 MB went in one turn.
describe('inTurns', () => {
  it('yields the same bytes in views of at most TURN_BYTES, no more than a budget per turn', async () => {
    const a = Buffer.alloc(TURN_BYTES * 2 + 10, 1);
    const b = Buffer.from('{"x":1}');
    const c = Buffer.alloc(TURN_BYTES * 3, 2);
    const turns = countLoopTurns();
    const perTurn = new Map<number, number>();
    const got: Buffer[] = [];
    for await (const view of inTurns([a, b, c])) {
      expect(view.length).toBeLessThanOrEqual(TURN_BYTES);
      expect(view.buffer === a.buffer || view.buffer === b.buffer || view.buffer === c.buffer).toBe(true);
      got.push(view);
      perTurn.set(turns.now, (perTurn.get(turns.now) ?? 0) + view.length);
    }
    turns.stop();
    expect(Buffer.concat(got).equals(Buffer.concat([a, b, c]))).toBe(true);
    // A turn's budget may be passed by the one view that starts it.
    expect(Math.max(...perTurn.values())).toBeLessThan(2 * TURN_BYTES);
    expect(perTurn.size).toBeGreaterThanOrEqual(5);
  });
});
