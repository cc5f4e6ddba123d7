// Hand-written, real-shaped upstream payloads (see /work/shared/WIRE-FACTS.md). Text includes
// multi-byte UTF-8 (é = 2 bytes, 世 = 3, 🎉 = 4) so byte-offset splits land inside characters.

const sse = (data: string, event?: string) => `${event ? `event: ${event}\n` : ''}data: ${data}\n\n`;

// --- OpenAI Chat Completions stream -------------------------------------------------------

const CHAT_HEAD =
  '"id":"chatcmpl-B9xyz","object":"chat.completion.chunk","created":1735689600,' +
  '"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_0aa8d3e20b"';

/** One chat chunk; `usage` controls the include_usage field, placed where OpenAI puts it
 *  (after choices, before `obfuscation`). */
function chatChunk(choices: string, usage: 'null' | 'absent', obfuscation?: string): string {
  const u = usage === 'null' ? ',"usage":null' : '';
  const o = obfuscation ? `,"obfuscation":"${obfuscation}"` : '';
  return sse(`{${CHAT_HEAD},"choices":[${choices}]${u}${o}}`);
}

const CHAT_CHOICES = [
  '{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}',
  '{"index":0,"delta":{"content":"Héllo"},"logprobs":null,"finish_reason":null}',
  '{"index":0,"delta":{"content":" 世界"},"logprobs":null,"finish_reason":null}',
  '{"index":0,"delta":{"content":" 🎉"},"logprobs":null,"finish_reason":null}',
  '{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}',
];
const OBFUSCATION = ['x', 'Qz', '', 'k9', 'abc'];

/** Output tokens of the chat deltas with o200k_base: "Héllo" 3 + " 世界" 1 + " 🎉" 2. */
export const CHAT_DELTA_TOKENS = 6;

export const CHAT_USAGE_CHUNK = sse(
  `{${CHAT_HEAD},"choices":[],"usage":{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500,` +
    '"prompt_tokens_details":{"cached_tokens":200,"audio_tokens":0},' +
    '"completion_tokens_details":{"reasoning_tokens":64,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},' +
    '"obfuscation":"zz"}',
);

/** What upstream sends when stream_options.include_usage is on. */
export const CHAT_STREAM_WITH_USAGE =
  CHAT_CHOICES.map((c, i) => chatChunk(c, 'null', OBFUSCATION[i] || undefined)).join('') +
  CHAT_USAGE_CHUNK +
  'data: [DONE]\n\n';

/** The same answer as the client sees it without include_usage. */
export const CHAT_STREAM_WITHOUT_USAGE =
  CHAT_CHOICES.map((c, i) => chatChunk(c, 'absent', OBFUSCATION[i] || undefined)).join('') +
  'data: [DONE]\n\n';

// --- OpenAI Responses API stream ------------------------------------------------------------

const RESP = '"id":"resp_68af","object":"response","created_at":1735689600';
export const RESPONSES_STREAM = [
  sse(
    `{"type":"response.created","sequence_number":0,"response":{${RESP},"status":"in_progress","model":"gpt-5-2025-08-07","output":[],"usage":null}}`,
    'response.created',
  ),
  sse(
    `{"type":"response.in_progress","sequence_number":1,"response":{${RESP},"status":"in_progress","model":"gpt-5-2025-08-07","output":[],"usage":null}}`,
    'response.in_progress',
  ),
  sse(
    '{"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"msg_1","type":"message","status":"in_progress","role":"assistant","content":[]}}',
    'response.output_item.added',
  ),
  sse(
    '{"type":"response.output_text.delta","sequence_number":3,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Héllo","logprobs":[]}',
    'response.output_text.delta',
  ),
  sse(
    '{"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1","output_index":0,"content_index":0,"delta":" 世界","logprobs":[]}',
    'response.output_text.delta',
  ),
  sse(
    '{"type":"response.function_call_arguments.delta","sequence_number":5,"item_id":"fc_1","output_index":1,"delta":"{\\"city\\":"}',
    'response.function_call_arguments.delta',
  ),
  sse(
    `{"type":"response.completed","sequence_number":6,"response":{${RESP},"status":"completed","model":"gpt-5-2025-08-07",` +
      '"output":[{"id":"msg_1","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Héllo 世界","annotations":[]}]}],' +
      '"usage":{"input_tokens":2048,"input_tokens_details":{"cached_tokens":1024},"output_tokens":300,"output_tokens_details":{"reasoning_tokens":256},"total_tokens":2348}}}',
    'response.completed',
  ),
].join('');

/** "Héllo" 3 + " 世界" 1 + `{"city":` 3 (o200k_base). */
export const RESPONSES_DELTA_TOKENS = 7;

// --- Anthropic Messages stream --------------------------------------------------------------

export const ANTHROPIC_STREAM = [
  sse(
    '{"type":"message_start","message":{"id":"msg_01XF","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,' +
      '"usage":{"input_tokens":1000,"cache_creation_input_tokens":2000,"cache_read_input_tokens":10000,"output_tokens":1,"service_tier":"standard"}}}',
    'message_start',
  ),
  sse(
    '{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}',
    'content_block_start',
  ),
  sse('{"type": "ping"}', 'ping'),
  sse(
    '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me think…"}}',
    'content_block_delta',
  ),
  sse(
    '{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3h"}}',
    'content_block_delta',
  ),
  sse('{"type":"content_block_stop","index":0}', 'content_block_stop'),
  sse(
    '{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}',
    'content_block_start',
  ),
  sse(
    '{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Héllo 世界 🎉"}}',
    'content_block_delta',
  ),
  sse('{"type":"content_block_stop","index":1}', 'content_block_stop'),
  sse(
    '{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{}}}',
    'content_block_start',
  ),
  sse(
    '{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"Paris\\"}"}}',
    'content_block_delta',
  ),
  sse('{"type":"content_block_stop","index":2}', 'content_block_stop'),
  sse(
    '{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":250}}',
    'message_delta',
  ),
  sse('{"type":"message_stop"}', 'message_stop'),
].join('');

/** Text the Anthropic deltas carry before message_delta: "Let me think…" (13 chars) +
 *  "Héllo 世界 🎉" (11 UTF-16 units: 🎉 is a surrogate pair) + `{"city": "Paris"}` (17) = 41
 *  chars → ceil(41 / 3.5) = 12 estimated output tokens. */
export const ANTHROPIC_DELTA_TOKENS = 12;
