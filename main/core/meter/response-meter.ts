// Sits between the upstream body and the client: forwards bytes as they come (SSE: whole events)
// and reads the provider's usage out of them, streamed or not.
import { ZERO_USAGE, type ApiFamily, type Endpoint, type Usage } from '../../../shared/usage.js';
import { createMessagesReader } from './anthropic-reader.js';
import { createBodyCapture } from './json-body-capture.js';
import { createChatReader, createResponsesReader } from './openai-readers.js';
import { createSseSplitter, type SseEvent } from './sse-parser.js';
import { isUsageOnlyChunk, removeTopLevelNullField } from './strip-usage.js';
import type { UsageReader } from './usage-reader.js';

export interface MeterOptions {
  family: ApiFamily;
  endpoint: Endpoint;
  /** The upstream response is text/event-stream. */
  streamed: boolean;
  /** Shimmy added stream_options.include_usage for a chat/completions stream whose client did not ask:
   *  drop the usage-only chunk (choices: [] with usage) and remove the `"usage":null` fields from the
   *  other chunks, so the client sees byte-for-byte what it would have seen without Shimmy. */
  stripUsage: boolean;
  /** estimateInputTokens() of the request: the input count of usage() until the provider's own
   *  count arrives (a stream cut before that is still charged for its input). Default 0.
   *  A function is called at most once, only if the estimate is ever needed: tokenizing is not free. */
  inputEstimate?: number | (() => number);
}

export interface ResponseMeter {
  /** Feed upstream bytes; returns the bytes to forward to the client now. */
  push(chunk: Buffer): Buffer;
  /** Upstream ended: returns any remaining bytes to forward and finalizes usage. */
  flush(): Buffer;
  /** Usage as known now: the provider's final usage, else a running estimate. */
  usage(): Usage;
  /** True once the provider's own final usage was read (false for cut streams => record as estimated). */
  readonly final: boolean;
  /** The model the upstream said it used (response `model`), if seen. */
  readonly model: string | undefined;
}

const EMPTY = Buffer.alloc(0);

function createReader(opts: MeterOptions): UsageReader | 'free' | undefined {
  const given = opts.inputEstimate ?? 0;
  let memo: number | undefined;
  const input = typeof given === 'number' ? () => given : () => (memo ??= given());
  switch (opts.endpoint) {
    case 'chat':
    case 'completions':
    case 'embeddings':
      return createChatReader(opts.family, input);
    case 'responses':
      return createResponsesReader(opts.family, input);
    case 'messages':
      return createMessagesReader(opts.family, input);
    case 'count_tokens':
      return 'free';
    case 'other':
      return undefined;
  }
}

export function createResponseMeter(opts: MeterOptions): ResponseMeter {
  const reader = createReader(opts);
  const strip = opts.stripUsage && (opts.endpoint === 'chat' || opts.endpoint === 'completions');
  const sse = opts.streamed ? createSseSplitter() : undefined;
  const body = !opts.streamed && typeof reader === 'object' ? createBodyCapture() : undefined;

  /** Reads one event and returns the bytes the client should get for it. */
  function onEvent(ev: SseEvent): Buffer {
    if (ev.data === undefined || ev.data === '[DONE]' || typeof reader !== 'object') return ev.raw;
    let json: unknown;
    try {
      json = JSON.parse(ev.data);
    } catch {
      return ev.raw;
    }
    reader.onData(json);
    if (!strip) return ev.raw;
    if (isUsageOnlyChunk(json)) return EMPTY;
    return withoutNullUsage(ev);
  }

  function forward(events: SseEvent[]): Buffer {
    if (events.length === 0) return EMPTY;
    if (events.length === 1) return onEvent(events[0] as SseEvent);
    return Buffer.concat(events.map(onEvent));
  }

  return {
    push(chunk) {
      if (sse) return forward(sse.push(chunk));
      body?.push(chunk);
      return chunk;
    },
    flush() {
      if (sse) {
        const last = sse.flush();
        return last ? onEvent(last) : EMPTY;
      }
      if (body && typeof reader === 'object') {
        const parsed = body.finish();
        if (parsed !== undefined) reader.onData(parsed);
      }
      return EMPTY;
    },
    usage() {
      return typeof reader === 'object' ? reader.usage() : { ...ZERO_USAGE };
    },
    get final() {
      // count_tokens is free: its (zero) usage is exact, not an estimate.
      return reader === 'free' ? true : (reader?.final ?? false);
    },
    get model() {
      return typeof reader === 'object' ? reader.model : undefined;
    },
  };
}

/** The event with its single `data:` line rewritten without the top-level `"usage":null`. */
function withoutNullUsage(ev: SseEvent): Buffer {
  const data = ev.data ?? '';
  // Chat chunks are one data line; anything else is forwarded untouched rather than rebuilt.
  if (data.includes('\n')) return ev.raw;
  const edited = removeTopLevelNullField(data, 'usage');
  if (edited === data) return ev.raw;
  const text = ev.raw.toString('utf8');
  const at = text.indexOf(data, text.indexOf('data:'));
  if (at < 0) return ev.raw;
  return Buffer.from(text.slice(0, at) + edited + text.slice(at + data.length), 'utf8');
}
