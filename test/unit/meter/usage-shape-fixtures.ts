// Real-shaped answers for every usage shape the meter reads beyond the basics, one per provider
// and endpoint, with the doc each shape comes from (read 2026-11-27). Counts are made up but
// consistent with the provider's own totals.

const sse = (data: string, event?: string) => `${event ? `event: ${event}\n` : ''}data: ${data}\n\n`;
const json = (x: unknown) => JSON.stringify(x);

// --- OpenAI Chat Completions: audio parts and service tier -------------------------------------
// platform.openai.com/docs/api-reference/chat/object (usage.prompt_tokens_details.audio_tokens,
// completion_tokens_details.audio_tokens, top-level service_tier).
export const CHAT_AUDIO_BODY = json({
  id: 'chatcmpl-Audio1',
  object: 'chat.completion',
  created: 1764230400,
  model: 'gpt-4o-audio-preview-2025-06-03',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        audio: { id: 'audio_1', data: 'UklGRg==', expires_at: 1764234000, transcript: 'Bonjour' },
      },
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 1200,
    completion_tokens: 900,
    total_tokens: 2100,
    prompt_tokens_details: { cached_tokens: 128, audio_tokens: 1000 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 800,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  },
  service_tier: 'priority',
  system_fingerprint: 'fp_b9a7d4e2c1',
});

// --- xAI: reasoning OUTSIDE completion_tokens ------------------------------------------------
// docs.x.ai/docs/guides/reasoning ("reasoning_tokens" reported beside completion_tokens;
// total_tokens = prompt + completion + reasoning).
const XAI_USAGE =
  '{"prompt_tokens":32,"completion_tokens":9,"total_tokens":135,' +
  '"prompt_tokens_details":{"text_tokens":32,"audio_tokens":0,"image_tokens":0,"cached_tokens":6},' +
  '"completion_tokens_details":{"reasoning_tokens":94,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0},' +
  '"num_sources_used":0}';
const XAI_HEAD =
  '"id":"b1a2c3","object":"chat.completion.chunk","created":1764230400,"model":"grok-4-0709","system_fingerprint":"fp_3a7c2"';
export const XAI_STREAM =
  sse(`{${XAI_HEAD},"choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"Thinking"}}]}`) +
  sse(`{${XAI_HEAD},"choices":[{"index":0,"delta":{"content":"101"}}]}`) +
  sse(`{${XAI_HEAD},"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":${XAI_USAGE}}`) +
  'data: [DONE]\n\n';
export const XAI_BODY = `{"id":"b1a2c3","object":"chat.completion","created":1764230400,"model":"grok-4-0709","choices":[{"index":0,"message":{"role":"assistant","content":"101","reasoning_content":"Thinking"},"finish_reason":"stop"}],"usage":${XAI_USAGE}}`;

// --- DeepSeek: prompt_cache_hit_tokens / miss, no prompt_tokens_details -----------------------
// api-docs.deepseek.com/api/create-chat-completion and /guides/kv_cache.
export const DEEPSEEK_BODY = json({
  id: '930c60df-bf64-41c9-a88e-3ec75f81e00e',
  object: 'chat.completion',
  created: 1764230400,
  model: 'deepseek-reasoner',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hi', reasoning_content: 'Greet.' },
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 1500,
    completion_tokens: 300,
    total_tokens: 1800,
    prompt_cache_hit_tokens: 1280,
    prompt_cache_miss_tokens: 220,
    completion_tokens_details: { reasoning_tokens: 120 },
  },
  system_fingerprint: 'fp_ffc7281d48_prod0820_fp8_kvcache',
});

// --- OpenRouter: usage.cost (USD), cache writes, BYOK ------------------------------------------
// openrouter.ai/docs/use-cases/usage-accounting (usage.cost, cost_details.upstream_inference_cost,
// prompt_tokens_details.cache_write_tokens, is_byok).
export function openRouterChunk(usage: Record<string, unknown>): string {
  return sse(
    json({
      id: 'gen-1764230400-abc',
      provider: 'Anthropic',
      model: 'anthropic/claude-sonnet-4.5',
      object: 'chat.completion.chunk',
      created: 1764230400,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: 'stop' }],
      usage,
    }),
  );
}
export const OPENROUTER_USAGE = {
  prompt_tokens: 194,
  completion_tokens: 2,
  total_tokens: 196,
  cost: 0.000888,
  is_byok: false,
  prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 100, audio_tokens: 0 },
  cost_details: {
    upstream_inference_cost: null,
    upstream_inference_prompt_cost: 0.000582,
    upstream_inference_completions_cost: 0.00003,
  },
  completion_tokens_details: { reasoning_tokens: 0, image_tokens: 0 },
};
/** OpenRouter chat chunks that stream reasoning text (`delta.reasoning`, `reasoning_details`). */
export const OPENROUTER_REASONING_STREAM = [
  '{"index":0,"delta":{"role":"assistant","content":"","reasoning":"The user asks for a proof.","reasoning_details":[{"type":"reasoning.text","text":"The user asks for a proof.","format":"anthropic-claude-v1","index":0}]}}',
  '{"index":0,"delta":{"content":"","reasoning":" Start with the base case.","reasoning_details":[{"type":"reasoning.text","text":" Start with the base case.","format":"anthropic-claude-v1","index":0}]}}',
]
  .map((c) =>
    sse(
      `{"id":"gen-1","object":"chat.completion.chunk","model":"anthropic/claude-sonnet-4.5","choices":[${c}]}`,
    ),
  )
  .join('');

// --- Responses API: web search calls, service tier ---------------------------------------------
// platform.openai.com/docs/api-reference/responses/object (output items of type
// web_search_call, service_tier) and /docs/guides/tools-web-search.
const RESPONSE_WITH_SEARCH = {
  id: 'resp_68c1',
  object: 'response',
  created_at: 1764230400,
  status: 'completed',
  model: 'gpt-5-2025-08-07',
  output: [
    { type: 'reasoning', id: 'rs_1', summary: [] },
    {
      type: 'web_search_call',
      id: 'ws_1',
      status: 'completed',
      action: { type: 'search', query: 'shimmy proxy' },
    },
    {
      type: 'web_search_call',
      id: 'ws_2',
      status: 'completed',
      action: { type: 'open_page', url: 'https://example.com/' },
    },
    {
      type: 'message',
      id: 'msg_1',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: 'Found it.', annotations: [] }],
    },
  ],
  service_tier: 'flex',
  usage: {
    input_tokens: 9000,
    input_tokens_details: { cached_tokens: 4096 },
    output_tokens: 700,
    output_tokens_details: { reasoning_tokens: 512 },
    total_tokens: 9700,
  },
};
export const RESPONSES_SEARCH_BODY = json(RESPONSE_WITH_SEARCH);
export const RESPONSES_SEARCH_STREAM = [
  sse(
    json({
      type: 'response.created',
      sequence_number: 0,
      response: {
        ...RESPONSE_WITH_SEARCH,
        status: 'in_progress',
        output: [],
        usage: null,
        service_tier: 'auto',
      },
    }),
    'response.created',
  ),
  sse(
    json({
      type: 'response.web_search_call.searching',
      sequence_number: 1,
      output_index: 1,
      item_id: 'ws_1',
    }),
    'response.web_search_call.searching',
  ),
  sse(
    json({
      type: 'response.reasoning_summary_text.delta',
      sequence_number: 2,
      item_id: 'rs_1',
      output_index: 0,
      summary_index: 0,
      delta: 'Searching the web for it.',
    }),
    'response.reasoning_summary_text.delta',
  ),
  sse(
    json({
      type: 'response.output_text.delta',
      sequence_number: 3,
      item_id: 'msg_1',
      output_index: 3,
      content_index: 0,
      delta: 'Found it.',
      logprobs: [],
    }),
    'response.output_text.delta',
  ),
  sse(
    json({ type: 'response.completed', sequence_number: 4, response: RESPONSE_WITH_SEARCH }),
    'response.completed',
  ),
].join('');

// --- Anthropic: 5-minute and 1-hour cache writes, web search, tier, region ---------------------
// docs.claude.com/en/api/messages (usage.cache_creation.ephemeral_5m/1h_input_tokens,
// server_tool_use.web_search_requests, service_tier, inference_geo) and
// /docs/build-with-claude/prompt-caching ("1-hour cache duration").
export const ANTHROPIC_FULL_USAGE = {
  input_tokens: 50,
  cache_creation_input_tokens: 3000,
  cache_read_input_tokens: 20000,
  cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
  output_tokens: 400,
  server_tool_use: { web_search_requests: 3 },
  service_tier: 'standard',
  inference_geo: 'us',
};
export const ANTHROPIC_FULL_BODY = json({
  id: 'msg_01Q',
  type: 'message',
  role: 'assistant',
  model: 'claude-opus-4-5-20251101',
  content: [
    { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'weather' } },
    { type: 'text', text: 'Sunny.' },
  ],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: ANTHROPIC_FULL_USAGE,
});
/** Streamed: message_start has the input side; message_delta's usage is cumulative. */
export const ANTHROPIC_FULL_STREAM = [
  sse(
    json({
      type: 'message_start',
      message: {
        id: 'msg_01Q',
        type: 'message',
        role: 'assistant',
        model: 'claude-opus-4-5-20251101',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...ANTHROPIC_FULL_USAGE, output_tokens: 3, server_tool_use: { web_search_requests: 0 } },
      },
    }),
    'message_start',
  ),
  sse(
    '{"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj8PGjFRhhgHVGq9Qj"}}',
    'content_block_start',
  ),
  sse('{"type":"content_block_stop","index":0}', 'content_block_stop'),
  sse(
    '{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}',
    'content_block_start',
  ),
  sse(
    '{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Sunny."}}',
    'content_block_delta',
  ),
  sse('{"type":"content_block_stop","index":1}', 'content_block_stop'),
  sse(
    json({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: {
        input_tokens: 50,
        cache_creation_input_tokens: 3000,
        cache_read_input_tokens: 20000,
        output_tokens: 400,
        server_tool_use: { web_search_requests: 3 },
      },
    }),
    'message_delta',
  ),
  sse('{"type":"message_stop"}', 'message_stop'),
].join('');

// --- OpenAI images --------------------------------------------------------------------------------
// platform.openai.com/docs/api-reference/images/object (usage: "For gpt-image-1 only";
// input_tokens_details.text_tokens/image_tokens; output_tokens = the image's tokens) and
// /images-streaming (image_generation.partial_image, image_generation.completed with usage).
export const IMAGE_TOKENS_BODY = json({
  created: 1764230400,
  background: 'opaque',
  data: [
    {
      b64_json:
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    },
  ],
  output_format: 'png',
  quality: 'high',
  size: '1024x1024',
  usage: {
    total_tokens: 6450,
    input_tokens: 2290,
    output_tokens: 4160,
    input_tokens_details: { text_tokens: 40, image_tokens: 2250 },
  },
});
export const DALLE_BODY = json({
  created: 1764230400,
  data: [
    {
      url: 'https://oaidalleapiprodscus.blob.core.windows.net/private/img-1.png',
      revised_prompt: 'A sea otter.',
    },
    {
      url: 'https://oaidalleapiprodscus.blob.core.windows.net/private/img-2.png',
      revised_prompt: 'A sea otter.',
    },
  ],
});
const B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ'.repeat(40);
export const IMAGE_STREAM = [
  sse(
    json({
      type: 'image_generation.partial_image',
      b64_json: B64,
      created_at: 1764230400,
      size: '1024x1024',
      quality: 'medium',
      background: 'auto',
      output_format: 'png',
      partial_image_index: 0,
    }),
    'image_generation.partial_image',
  ),
  sse(
    json({
      type: 'image_generation.partial_image',
      b64_json: B64,
      created_at: 1764230401,
      size: '1024x1024',
      quality: 'medium',
      background: 'auto',
      output_format: 'png',
      partial_image_index: 1,
    }),
    'image_generation.partial_image',
  ),
  sse(
    json({
      type: 'image_generation.completed',
      b64_json: B64,
      created_at: 1764230402,
      size: '1024x1024',
      quality: 'medium',
      background: 'auto',
      output_format: 'png',
      usage: {
        total_tokens: 1096,
        input_tokens: 40,
        output_tokens: 1056,
        input_tokens_details: { text_tokens: 40, image_tokens: 0 },
      },
    }),
    'image_generation.completed',
  ),
].join('');

// --- OpenAI audio ---------------------------------------------------------------------------------
// platform.openai.com/docs/api-reference/audio/json-object (usage {type:"tokens"} / {type:"duration"}),
// /audio/verbose-json-object (duration), /audio/transcript-text-delta-event and -done-event,
// /audio/speech-audio-delta-event and -done-event (stream_format "sse").
export const TRANSCRIPTION_TOKENS_BODY = json({
  text: 'Imagine the wildest idea that you have ever had.',
  usage: {
    type: 'tokens',
    input_tokens: 14,
    input_token_details: { text_tokens: 0, audio_tokens: 14 },
    output_tokens: 45,
    total_tokens: 59,
  },
});
export const TRANSCRIPTION_DURATION_BODY = json({
  text: 'Imagine the wildest idea.',
  usage: { type: 'duration', seconds: 9 },
});
export const TRANSCRIPTION_VERBOSE_BODY = json({
  task: 'transcribe',
  language: 'english',
  duration: 8.470000267028809,
  text: 'The beach was a popular spot on a hot summer day.',
  segments: [
    {
      id: 0,
      seek: 0,
      start: 0,
      end: 3.32,
      text: ' The beach was a popular spot',
      tokens: [50364, 440],
      temperature: 0,
      avg_logprob: -0.28,
      compression_ratio: 1.2,
      no_speech_prob: 0.009,
    },
  ],
});
export const TRANSCRIPTION_STREAM = [
  sse('{"type":"transcript.text.delta","delta":"I","logprobs":[]}'),
  sse('{"type":"transcript.text.delta","delta":" see skies of blue","logprobs":[]}'),
  sse('{"type":"transcript.text.delta","delta":" and clouds of white.","logprobs":[]}'),
  sse(
    '{"type":"transcript.text.done","text":"I see skies of blue and clouds of white.","logprobs":[],"usage":{"type":"tokens","input_tokens":14,"input_token_details":{"text_tokens":10,"audio_tokens":4},"output_tokens":31,"total_tokens":45}}',
  ),
].join('');
export const SPEECH_STREAM = [
  sse(`{"type":"speech.audio.delta","audio":"${B64}"}`),
  sse(`{"type":"speech.audio.delta","audio":"${B64}"}`),
  sse('{"type":"speech.audio.done","usage":{"input_tokens":14,"output_tokens":101,"total_tokens":115}}'),
].join('');

// --- Gemini native generateContent ---------------------------------------------------------------
// ai.google.dev/api/generate-content#UsageMetadata (promptTokenCount incl. cachedContentTokenCount;
// thoughtsTokenCount beside candidatesTokenCount; toolUsePromptTokenCount; *TokensDetails by
// modality) and #method:-models.streamgeneratecontent (SSE with ?alt=sse, cumulative usage).
export const GEMINI_USAGE = {
  promptTokenCount: 1200,
  candidatesTokenCount: 80,
  totalTokenCount: 1780,
  cachedContentTokenCount: 1000,
  promptTokensDetails: [
    { modality: 'TEXT', tokenCount: 1100 },
    { modality: 'AUDIO', tokenCount: 100 },
  ],
  cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 1000 }],
  candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: 80 }],
  thoughtsTokenCount: 450,
  toolUsePromptTokenCount: 50,
};
export const GEMINI_BODY = json({
  candidates: [
    {
      content: {
        parts: [{ text: 'Weighing the options…', thought: true }, { text: 'Héllo 世界' }],
        role: 'model',
      },
      finishReason: 'STOP',
      index: 0,
    },
  ],
  usageMetadata: GEMINI_USAGE,
  modelVersion: 'gemini-2.5-flash',
  responseId: 'mQ8oafPKHpLkkdUPq8nLmA4',
});
const geminiChunk = (parts: unknown[], usage: Record<string, unknown>, finish?: string) =>
  `data: ${json({
    candidates: [
      { content: { parts, role: 'model' }, ...(finish ? { finishReason: finish } : {}), index: 0 },
    ],
    usageMetadata: usage,
    modelVersion: 'gemini-2.5-flash',
    responseId: 'mQ8oafPKHpLkkdUPq8nLmA4',
  })}\r\n\r\n`;
/** Three cumulative chunks; the last ends the answer. */
export const GEMINI_STREAM_CHUNKS = [
  geminiChunk([{ text: 'Weighing the options…', thought: true }], {
    promptTokenCount: 1200,
    totalTokenCount: 1700,
    cachedContentTokenCount: 1000,
    thoughtsTokenCount: 450,
    toolUsePromptTokenCount: 50,
  }),
  geminiChunk([{ text: 'Héllo' }], {
    promptTokenCount: 1200,
    candidatesTokenCount: 40,
    totalTokenCount: 1740,
    cachedContentTokenCount: 1000,
    thoughtsTokenCount: 450,
    toolUsePromptTokenCount: 50,
  }),
  geminiChunk([{ text: ' 世界' }], GEMINI_USAGE, 'STOP'),
];
export const GEMINI_STREAM = GEMINI_STREAM_CHUNKS.join('');
