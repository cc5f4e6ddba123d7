// Sits between the upstream body and the client: forwards bytes as they come (SSE: whole events)
// and reads the provider's usage out of them, streamed or not.
import { ZERO_USAGE, type ApiFamily, type Endpoint, type Usage } from '../../../shared/usage.js';
import { MessagesReader } from './anthropic-reader.js';
import { GeminiReader } from './gemini-reader.js';
import { createBodyCapture, type BodyCapture } from './json-body-capture.js';
import { leadingModel } from './leading-model.js';
import { ImagesReader, SpeechReader, TranscriptionReader } from './openai-media-readers.js';
import { ChatReader, ResponsesReader } from './openai-readers.js';
import type { ProviderDialect } from './provider-dialect.js';
import { readSseData, type SseData } from './sse-data.js';
import { createSseFramer, type SseFramer } from './sse-parser.js';
import {
  isUsageOnlyChunk,
  NULL_USAGE_MEMBER,
  topLevelNullFieldSpan,
  trailingNullUsageAt,
} from './strip-usage.js';
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
   *  A function is called at most once, only if the estimate is ever needed: tokenizing is not free
   *  (`atMost`: an upper bound will do, asked on every chunk of a budgeted stream, not kept). */
  inputEstimate?: number | ((atMost?: boolean) => number);
  /** Called with the provider's own input count when a stream gives it before its end
   *  (Anthropic's message_start): whatever kept the request to estimate its input can let it go. */
  inputKnown?: (tokens: number) => void;
  /** How the provider that answers departs from OpenAI's usage semantics (providerDialect()).
   *  Default: standard. */
  dialect?: ProviderDialect;
  /** /v1/audio/speech: the characters of the request's `input` (speechCharacters()), the unit
   *  tts-1 style models bill by; the answer itself is audio bytes. */
  characters?: number;
}

export interface ResponseMeter {
  /** Feed upstream bytes; returns the bytes to forward to the client now. */
  push(chunk: Buffer): Buffer;
  /** Upstream ended: returns any remaining bytes to forward and finalizes usage. */
  flush(): Buffer;
  /** Usage as known now: the provider's final usage, else a running estimate (`atMost`: with a
   *  bound on the output estimate that costs no parse and no tokenizing; UsageReader.usage). */
  usage(atMost?: boolean): Usage;
  /** True once the provider's own final usage was read (false for cut streams => record as estimated). */
  readonly final: boolean;
  /** The model the upstream said it used (response `model`), if seen. */
  readonly model: string | undefined;
  /** Responses: the answer's id, if seen. */
  readonly responseId: string | undefined;
  /** Responses: the image generation tool's own usage, priced at the image model (UsageReader). */
  readonly toolImageUsage: Usage | undefined;
}

const EMPTY = Buffer.alloc(0);

function createReader(opts: MeterOptions): UsageReader | 'free' | undefined {
  const given = opts.inputEstimate ?? 0;
  let memo: number | undefined;
  const input =
    typeof given === 'number'
      ? () => given
      : (atMost = false) => memo ?? (atMost ? given(true) : (memo = given()));
  switch (opts.endpoint) {
    case 'chat':
    case 'completions':
    case 'embeddings':
      return new ChatReader(opts.family, input, opts.dialect);
    case 'responses':
      return new ResponsesReader(opts.family, input, opts.dialect);
    case 'messages':
      return new MessagesReader(opts.family, input, opts.inputKnown);
    case 'images':
      return new ImagesReader(input, opts.dialect);
    case 'audio_transcription':
      return new TranscriptionReader(opts.family, input);
    case 'audio_speech':
      return new SpeechReader(input, opts.characters);
    case 'generate_content':
      return new GeminiReader(input);
    case 'count_tokens':
      return 'free';
    case 'other':
      return undefined;
  }
}

export function createResponseMeter(opts: MeterOptions): ResponseMeter {
  return new Meter(opts);
}

// A class, not an object literal: V8 builds a literal with getters slowly (microseconds, every request).
class Meter implements ResponseMeter {
  private readonly reader: UsageReader | 'free' | undefined;
  private readonly strip: boolean;
  private readonly framer: SseFramer | undefined;
  private readonly body: BodyCapture | undefined;
  /** When stripping: the byte ranges [start, end) of one push's block the client does not get,
   *  in order (pairs). The client's bytes are then built once, in one copy, from the rest. */
  private readonly cuts: number[] = [];
  /** Event end offsets of one push (see meterRuns). */
  private readonly ends: number[] = [];
  /** Chat / completions until the stream's first event: its model is read off its bytes. */
  private modelFromBytes: boolean;

  constructor(opts: MeterOptions) {
    this.reader = createReader(opts);
    const chatLike = opts.endpoint === 'chat' || opts.endpoint === 'completions';
    this.strip = opts.stripUsage && chatLike;
    this.framer = opts.streamed ? createSseFramer() : undefined;
    this.modelFromBytes = opts.streamed && chatLike;
    // A speech answer is audio bytes: never kept, never parsed.
    this.body =
      !opts.streamed && typeof this.reader === 'object' && opts.endpoint !== 'audio_speech'
        ? createBodyCapture()
        : undefined;
  }

  push(chunk: Buffer): Buffer {
    if (!this.framer) {
      this.body?.push(chunk);
      return chunk;
    }
    const block = this.framer.frame(chunk, this.ends);
    this.meterRuns(block);
    return this.strip ? this.stripped(block) : block;
  }

  flush(): Buffer {
    if (this.framer) {
      const last = this.framer.flush();
      if (!last) return EMPTY;
      // The unterminated remainder, metered as one event.
      this.ends.length = 0;
      this.ends.push(last.length);
      this.meterRuns(last);
      return this.strip ? this.stripped(last) : last;
    }
    if (this.body && typeof this.reader === 'object') {
      const parsed = this.body.finish();
      if (parsed !== undefined) this.reader.onData(parsed);
    }
    return EMPTY;
  }

  usage(atMost = false): Usage {
    return typeof this.reader === 'object' ? this.reader.usage(atMost) : { ...ZERO_USAGE };
  }

  get final(): boolean {
    // count_tokens is free: its (zero) usage is exact, not an estimate.
    return this.reader === 'free' ? true : (this.reader?.final ?? false);
  }

  get model(): string | undefined {
    return typeof this.reader === 'object' ? this.reader.model : undefined;
  }

  get responseId(): string | undefined {
    return typeof this.reader === 'object' ? this.reader.responseId : undefined;
  }

  get toolImageUsage(): Usage | undefined {
    return typeof this.reader === 'object' ? this.reader.toolImageUsage : undefined;
  }

  /**
   * Meters the events of one push (ends in this.ends). A run of events that can only add to the
   * output estimate is kept whole and unparsed after one scan: a streamed answer is mostly such
   * events, and several arrive together whenever the provider is fast or the proxy busy. The run
   * is kept as the scan's own latin1 text (no second decode, no view of the bytes). The event
   * that ends a run is read on its own. When stripping, what the client must not get goes to `cuts`.
   */
  private meterRuns(block: Buffer): void {
    const ends = this.ends;
    const reader = this.reader;
    const n = ends.length;
    if (n === 0 || typeof reader !== 'object') return;
    const text = block.toString('latin1');
    if (this.modelFromBytes) {
      this.modelFromBytes = false;
      // A chunk that says the model and nothing else, as the reader reads a parsed one: every
      // chunk repeats the model, and a reader that knows it lets them all pass unparsed, the
      // first included (a duplicate key or another model still stops its scan).
      const model = reader.model === undefined ? leadingModel(text, 0, ends[0] as number) : undefined;
      if (model !== undefined) reader.onData({ model });
    }
    // Where the next `"usage"` is (runs have no `\u`, so it cannot be spelled otherwise): a run
    // before it has nothing to strip and goes out as it came.
    let usageAt = -2;
    let from = 0;
    for (let i = 0; i < n;) {
      const stop = reader.firstSignificantByte(text, from);
      let j = i;
      while (j < n && (ends[j] as number) <= stop) j++;
      if (j > i) {
        const to = ends[j - 1] as number;
        reader.deferEvents(text.slice(from, to));
        if (this.strip) {
          if (usageAt !== -1 && usageAt < from) usageAt = text.indexOf('"usage"', from);
          if (usageAt !== -1 && usageAt < to)
            for (let k = i, s = from; k < j; s = ends[k++] as number)
              this.stripRunEvent(block, text, s, ends[k] as number);
        }
        from = to;
      }
      i = j;
      if (i < n) {
        // Holds the stop: significant, no second scan.
        const to = ends[i] as number;
        this.onEvent(block, from, to);
        from = to;
        i++;
      }
    }
  }

  /** Meters the significant event [from, to) of `block`; when stripping, cuts what the client
   *  should not get of it. */
  private onEvent(block: Buffer, from: number, to: number): void {
    const reader = this.reader as UsageReader;
    const raw = block.subarray(from, to);
    const data = readSseData(raw);
    if (data === undefined || data.text === '[DONE]') return;
    let json: unknown;
    try {
      json = JSON.parse(data.text);
    } catch {
      return;
    }
    reader.onData(json);
    if (!this.strip) return;
    if (isUsageOnlyChunk(json)) {
      this.cuts.push(from, to);
      return;
    }
    this.stripNullUsage(raw, from, data);
  }

  /** Strips one event of a run (no usage but `null`, no `\\u`): the usual chunk, whose
   *  `,"usage":null` is found near its end without a scan of the whole (trailingNullUsageAt);
   *  anything else takes the string-aware scan. */
  private stripRunEvent(block: Buffer, text: string, from: number, to: number): void {
    const at = trailingNullUsageAt(text, from, to);
    if (at !== -1) {
      this.cuts.push(at, at + NULL_USAGE_MEMBER.length);
      return;
    }
    const raw = block.subarray(from, to);
    this.stripNullUsage(raw, from, readSseData(raw));
  }

  /** Cuts the top-level `"usage":null` field of the event `raw` (at `from` in the block). Only a
   *  single data line is edited; data on several lines is forwarded untouched. */
  private stripNullUsage(raw: Buffer, from: number, data: SseData | undefined): void {
    const span =
      data === undefined || data.start < 0
        ? undefined
        : topLevelNullFieldSpan(raw, data.start, data.end, 'usage');
    if (span) this.cuts.push(from + span[0], from + span[1]);
  }

  /** What the client gets instead of `block` (the events just metered): the block without its
   *  cuts, copied once; the block itself when nothing was cut. */
  private stripped(block: Buffer): Buffer {
    const cuts = this.cuts;
    const m = cuts.length;
    if (m === 0) return block;
    let removed = 0;
    for (let k = 0; k < m; k += 2) removed += (cuts[k + 1] as number) - (cuts[k] as number);
    const out = Buffer.allocUnsafe(block.length - removed);
    let pos = 0;
    let at = 0;
    for (let k = 0; k < m; k += 2) {
      pos += block.copy(out, pos, at, cuts[k] as number);
      at = cuts[k + 1] as number;
    }
    block.copy(out, pos, at);
    cuts.length = 0;
    return out;
  }
}
