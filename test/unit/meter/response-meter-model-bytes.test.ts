// A chat stream's model is read off its first chunk's bytes, so that chunk is not parsed on its
// own (issue 16, stream c=32: two JSON.parse calls a stream were a quarter of the meter's CPU).
// Whatever the bytes, the model must be the one JSON.parse would give.
import { afterEach, describe, expect, it } from 'vitest';
import { createResponseMeter, type MeterOptions } from '../../../main/core/meter/index.js';
import { leadingModel } from '../../../main/core/meter/leading-model.js';
import { gc } from '../../support/gc.js';
import { textsInHeap } from '../../support/heap-texts.js';
import { CHAT_STREAM_WITH_USAGE } from './fixtures.js';

const chat: MeterOptions = { family: 'openai', endpoint: 'chat', streamed: true, stripUsage: false };
const sse = (data: string) => `data: ${data}\n\n`;
const USAGE = '{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12}';

const realParse = JSON.parse;
let parses = 0;
function countParses() {
  parses = 0;
  JSON.parse = ((text: string, reviver?: Parameters<typeof realParse>[1]) => {
    parses++;
    return realParse(text, reviver);
  }) as typeof JSON.parse;
}
afterEach(() => {
  JSON.parse = realParse;
});

function meterOf(text: string, opts: MeterOptions = chat) {
  const meter = createResponseMeter(opts);
  const out = Buffer.concat([meter.push(Buffer.from(text)), meter.flush()]).toString('utf8');
  return { meter, out };
}

describe("a chat stream's model", () => {
  it('is read without parsing the first chunk: a stream with its usage chunk is parsed once', () => {
    countParses();
    const { meter, out } = meterOf(CHAT_STREAM_WITH_USAGE);
    expect(parses).toBe(1);
    JSON.parse = realParse;
    expect(out).toBe(CHAT_STREAM_WITH_USAGE);
    expect(meter.model).toBe('gpt-4o-mini-2024-07-18');
    expect(meter.final).toBe(true);
    expect(meter.usage().outputTokens).toBe(500);
  });

  it('with stripUsage, the first chunk loses its "usage":null as before', () => {
    countParses();
    const { meter, out } = meterOf(CHAT_STREAM_WITH_USAGE, { ...chat, stripUsage: true });
    expect(parses).toBe(1);
    JSON.parse = realParse;
    expect(out).not.toContain('"usage"');
    expect(out.split('\n\n').length).toBe(CHAT_STREAM_WITH_USAGE.split('\n\n').length - 1);
    expect(meter.model).toBe('gpt-4o-mini-2024-07-18');
  });

  // Each first chunk, then a usage chunk naming the same model: the model must be JSON.parse's.
  const cases: Array<[string, string]> = [
    ['multi-byte UTF-8', '{"id":"c","model":"modèle-世界","choices":[],"usage":null}'],
    ['an escape in the value', '{"id":"c","model":"gpt\\u002d4o","choices":[],"usage":null}'],
    ['a nested "model" before the top-level one', '{"meta":{"model":"inner"},"model":"outer","choices":[]}'],
    ['a later duplicate key (the last one counts)', '{"model":"first","choices":[],"model":"second"}'],
    ['spaces around the members', '{ "id" : "c" , "created" : 1 , "model" : "spaced" , "choices" : [] }'],
    ['a model that is not a string', '{"id":"c","model":null,"choices":[]}'],
    ['event and id lines before the data', '{"id":"c","model":"with-fields","choices":[]}'],
  ];
  it.each(cases)('is the parsed one with %s', (name, first) => {
    const lead = name.startsWith('event and id') ? 'event: chunk\nid: 1\n' : '';
    const model = (realParse(first) as { model?: unknown }).model;
    const text = lead + sse(first) + sse(`{"id":"c","model":"other","choices":[],"usage":${USAGE}}`);
    // The usage chunk's model differs: the meter's model is then the last one seen; read the first
    // chunk alone to check what it took from it.
    const alone = meterOf(lead + sse(first)).meter;
    expect(alone.model).toBe(typeof model === 'string' ? model : undefined);
    expect(meterOf(text).meter.model).toBe('other');
  });
});

// The model read off the bytes is what the meter keeps for the stream's whole life: a slice of the
// push's text would keep that whole text (V8 keeps a sliced string's parent) — the 64 kB socket
// read the first chunk came in, per open stream (issue 16: memory per open stream 23 → 87 kB).
describe("a chat stream's model read off the bytes", () => {
  it('keeps none of the text it was read from', async () => {
    const tag = `mdl${process.pid}q`;
    // The push's text as the meter has it: one flat latin1 string of the whole socket read, made
    // in a call of its own so that none outlives it here.
    const modelOf = (i: number) => {
      const text = Buffer.from(
        sse(
          `{"id":"c","model":"gpt-4o-mini-2024-07-18","choices":[],"note":"${tag}${i}z ${'x'.repeat(4000)}"}`,
        ),
      ).toString('latin1');
      return leadingModel(text, 0, text.length);
    };
    const models = [0, 1, 2, 3].map(modelOf);
    expect(models).toEqual(Array(4).fill('gpt-4o-mini-2024-07-18'));
    // A text kept on purpose, flat as a parsed one is: the search must find it.
    const control = [JSON.parse(JSON.stringify(`${tag}9z`)) as string];
    gc();
    const found = await textsInHeap(tag);
    expect(control).toHaveLength(1);
    expect(found.has('9')).toBe(true);
    expect([...found].filter((i) => i !== '9')).toEqual([]);
  });
});
