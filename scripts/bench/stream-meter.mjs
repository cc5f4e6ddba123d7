// The stream meter alone: main-thread CPU per metered stream (process.cpuUsage over many streams),
// for the bench's own chat stream (stream c=32) and for an Anthropic and a Responses stream of the
// same length, each fed whole (one socket read) and one event per push.
//   node scripts/bench/stream-meter.mjs [--dist dist] [--streams 20000] [--only chat,strip,…]
// `--dist /tmp/base22/dist` measures a built base the same way (A/B without a server or a load).
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { streamEvents } from './fake-upstream.mjs';

const { values: args } = parseArgs({
  options: {
    dist: { type: 'string', default: 'dist' },
    streams: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '5' },
    only: { type: 'string', default: '' },
  },
});
const meterUrl = pathToFileURL(resolve(args.dist, 'main/core/meter/response-meter.js')).href;
const { createResponseMeter } = await import(meterUrl);

const WORDS =
  'Shimmy keeps every provider key in the keychain and meters each request so a budget is a hard limit not a hope'.split(
    ' ',
  );
const sse = (data, event) => `${event ? `event: ${event}\n` : ''}data: ${data}\n\n`;

/** scripts/bench/fake-upstream.mjs's stream: 22 chunks of gpt-4o-mini, the usage chunk, [DONE]. */
const chatStream = () => streamEvents(true).map((e) => e.toString());

function anthropicStream() {
  const events = [
    sse(
      JSON.stringify({
        type: 'message_start',
        message: {
          id: 'msg_01Bench',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-5-20250929',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: 38,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
            output_tokens: 1,
          },
        },
      }),
      'message_start',
    ),
    sse(
      '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
      'content_block_start',
    ),
    sse('{"type": "ping"}', 'ping'),
  ];
  for (let i = 0; i < 20; i++)
    events.push(
      sse(
        JSON.stringify({
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'text_delta', text: (i ? ' ' : '') + WORDS[i] },
        }),
        'content_block_delta',
      ),
    );
  events.push(sse('{"type":"content_block_stop","index":0}', 'content_block_stop'));
  events.push(
    sse(
      '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":20}}',
      'message_delta',
    ),
  );
  events.push(sse('{"type":"message_stop"}', 'message_stop'));
  return events;
}

function responsesStream() {
  const resp = (status, extra = {}) => ({
    id: 'resp_bench',
    object: 'response',
    created_at: 1764460800,
    status,
    model: 'gpt-5-mini-2025-08-07',
    output: [],
    usage: null,
    ...extra,
  });
  let seq = 0;
  const ev = (type, body) => sse(JSON.stringify({ type, sequence_number: seq++, ...body }), type);
  const events = [
    ev('response.created', { response: resp('in_progress') }),
    ev('response.in_progress', { response: resp('in_progress') }),
    ev('response.output_item.added', {
      output_index: 0,
      item: { id: 'msg_1', type: 'message', status: 'in_progress', role: 'assistant', content: [] },
    }),
  ];
  for (let i = 0; i < 20; i++)
    events.push(
      ev('response.output_text.delta', {
        item_id: 'msg_1',
        output_index: 0,
        content_index: 0,
        delta: (i ? ' ' : '') + WORDS[i],
        logprobs: [],
      }),
    );
  events.push(
    ev('response.completed', {
      response: resp('completed', {
        output: [
          {
            id: 'msg_1',
            type: 'message',
            status: 'completed',
            role: 'assistant',
            content: [{ type: 'output_text', text: WORDS.slice(0, 20).join(' '), annotations: [] }],
          },
        ],
        usage: {
          input_tokens: 38,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: 20,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: 58,
        },
      }),
    }),
  );
  return events;
}

const CASES = [
  { key: 'chat', label: 'chat (bench s32), whole', family: 'openai', endpoint: 'chat', events: chatStream() },
  {
    key: 'chat-ev',
    label: 'chat, an event a push',
    family: 'openai',
    endpoint: 'chat',
    events: chatStream(),
    each: true,
  },
  {
    key: 'strip',
    label: 'chat, stripped, whole',
    family: 'openai',
    endpoint: 'chat',
    events: chatStream(),
    strip: true,
  },
  {
    key: 'strip-ev',
    label: 'chat, stripped, an event a push',
    family: 'openai',
    endpoint: 'chat',
    events: chatStream(),
    strip: true,
    each: true,
  },
  {
    key: 'budget-ev',
    label: 'chat, budget check a push',
    family: 'openai',
    endpoint: 'chat',
    events: chatStream(),
    each: true,
    budget: true,
  },
  {
    key: 'messages',
    label: 'anthropic messages, whole',
    family: 'anthropic',
    endpoint: 'messages',
    events: anthropicStream(),
  },
  {
    key: 'messages-ev',
    label: 'anthropic messages, an event a push',
    family: 'anthropic',
    endpoint: 'messages',
    events: anthropicStream(),
    each: true,
  },
  {
    key: 'responses',
    label: 'responses, whole',
    family: 'openai',
    endpoint: 'responses',
    events: responsesStream(),
  },
  {
    key: 'responses-ev',
    label: 'responses, an event a push',
    family: 'openai',
    endpoint: 'responses',
    events: responsesStream(),
    each: true,
  },
];

const streams = Number(args.streams);
const rounds = Number(args.rounds);
const only = args.only ? new Set(args.only.split(',')) : undefined;

function runOne(c) {
  const m = createResponseMeter({
    family: c.family,
    endpoint: c.endpoint,
    streamed: true,
    stripUsage: Boolean(c.strip),
    inputEstimate: () => 38,
  });
  let out = 0;
  for (const chunk of c.chunks) {
    out += m.push(chunk).length;
    if (c.budget) m.usage(true);
  }
  out += m.flush().length;
  const u = m.usage();
  if (!m.final || u.outputTokens !== 20 || !m.model) throw new Error(`${c.key}: not metered`);
  return out;
}

console.log(`stream meter: ${args.dist}, ${streams} streams × ${rounds} rounds, node ${process.version}`);
for (const c of CASES) {
  if (only && !only.has(c.key)) continue;
  // Fresh buffers each stream would measure the allocator; the upstream's are reused the same way.
  const whole = Buffer.from(c.events.join(''));
  c.chunks = c.each ? c.events.map((e) => Buffer.from(e)) : [whole];
  for (let i = 0; i < 5000; i++) runOne(c); // JIT warm-up
  const per = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < streams; i++) runOne(c);
    const t = process.cpuUsage(t0);
    per.push((t.user + t.system) / streams);
  }
  per.sort((a, b) => a - b);
  const bytes = whole.length;
  console.log(
    `${c.label.padEnd(38)} ${bytes} B  µs/stream min ${per[0].toFixed(2)}  median ${per[Math.floor(rounds / 2)].toFixed(2)}`,
  );
}
