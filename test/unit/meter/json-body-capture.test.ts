// A body over FULL_PARSE_MAX_BYTES is read from its ends: what lies between them and is priced
// (Responses web_search_call items) is counted as the chunks pass, once each, wherever a chunk
// boundary cuts it.
import { describe, expect, it } from 'vitest';
import { createBodyCapture, FULL_PARSE_MAX_BYTES } from '../../../main/core/meter/json-body-capture.js';

function bigResponse(searches: number, fileSearches = 0): Buffer {
  const items = [
    ...Array.from({ length: searches }, (_, i) => ({ type: 'web_search_call', id: `ws_${i}` })),
    ...Array.from({ length: fileSearches }, (_, i) => ({ type: 'file_search_call', id: `fs_${i}` })),
  ];
  const filler = {
    type: 'message',
    content: [{ type: 'output_text', text: 'x'.repeat(FULL_PARSE_MAX_BYTES) }],
  };
  return Buffer.from(
    JSON.stringify({
      object: 'response',
      model: 'gpt-5',
      output: [filler, ...items, filler],
      service_tier: 'priority',
      usage: { input_tokens: 1, output_tokens: 2 },
    }),
  );
}

describe('a body over FULL_PARSE_MAX_BYTES', () => {
  for (const size of [4096, 65_536]) {
    it(`counts each web search once in ${size}-byte chunks`, () => {
      const body = bigResponse(5);
      const capture = createBodyCapture();
      for (let i = 0; i < body.length; i += size) capture.push(body.subarray(i, i + size));
      const stand = capture.finish() as { output: unknown[]; service_tier: string; usage: unknown };
      expect(stand.output).toHaveLength(5);
      expect(stand.service_tier).toBe('priority');
      expect(stand.usage).toEqual({ input_tokens: 1, output_tokens: 2 });
    });
  }

  it('counts a web search cut in two by a chunk boundary once', () => {
    const body = bigResponse(3);
    const marker = Buffer.from('"type":"web_search_call"');
    const cuts: number[] = [];
    for (let at = body.indexOf(marker); at >= 0; at = body.indexOf(marker, at + 1)) cuts.push(at + 10);
    const capture = createBodyCapture();
    let from = 0;
    for (const cut of [...cuts, body.length]) {
      capture.push(body.subarray(from, cut));
      from = cut;
    }
    expect((capture.finish() as { output: unknown[] }).output).toHaveLength(3);
  });

  it('counts web and file searches apart', () => {
    const body = bigResponse(2, 3);
    const capture = createBodyCapture();
    for (let i = 0; i < body.length; i += 65_536) capture.push(body.subarray(i, i + 65_536));
    const types = (capture.finish() as { output: Array<{ type: string }> }).output.map((o) => o.type);
    expect(types.filter((t) => t === 'web_search_call')).toHaveLength(2);
    expect(types.filter((t) => t === 'file_search_call')).toHaveLength(3);
  });
});

describe('code interpreter containers in a body over FULL_PARSE_MAX_BYTES', () => {
  const filler = {
    type: 'message',
    content: [{ type: 'output_text', text: 'x'.repeat(FULL_PARSE_MAX_BYTES) }],
  };
  const call = (id: string, container: string) => ({
    type: 'code_interpreter_call',
    id,
    container_id: container,
  });
  const body = (container: unknown) =>
    Buffer.from(
      JSON.stringify({
        object: 'response',
        model: 'gpt-5',
        output: [call('ci_1', 'cntr_a'), filler, call('ci_2', 'cntr_a'), call('ci_3', 'cntr_b'), filler],
        tools: [{ type: 'code_interpreter', container }],
        usage: { input_tokens: 1, output_tokens: 2 },
      }),
    );
  const capture = (b: Buffer) => {
    const c = createBodyCapture();
    for (let i = 0; i < b.length; i += 4096) c.push(b.subarray(i, i + 4096));
    return c.finish() as { output?: Array<{ type: string; container_id?: string }>; tools?: unknown };
  };

  it('keeps the containers the calls ran in, and the tool that made them', () => {
    // Before, the containers were lost with the middle of the body: recorded as none.
    const stand = capture(body({ type: 'auto', memory_limit: '4g' }));
    const ids = new Set(
      stand.output?.filter((o) => o.type === 'code_interpreter_call').map((o) => o.container_id),
    );
    expect(ids).toEqual(new Set(['cntr_a', 'cntr_b']));
    expect(stand.tools).toEqual([
      { type: 'code_interpreter', container: { type: 'auto', memory_limit: '4g' } },
    ]);
  });

  it('keeps a container the request named', () => {
    expect(capture(body('cntr_a')).tools).toEqual([{ type: 'code_interpreter', container: 'cntr_a' }]);
  });
});
