// Running estimate of output tokens from the text a stream has delivered so far, used until
// (or instead of, for a cut stream) the provider's own count.
import type { ApiFamily } from '../../../shared/usage.js';
import { heldEventsSweep, type HeldEvents, type HeldEventsSweep } from './held-events-sweep.js';
import { readSseData } from './sse-data.js';
import { createSseFramer } from './sse-parser.js';
import {
  anthropicTokensForChars,
  countOpenAiTokensEach,
  countOpenAiTokensSum,
  encodingForModel,
} from './token-count.js';

/** Calls `add` with each output text of one parsed payload. */
export type OutputTextExtractor = (data: unknown, add: (text: unknown) => void) => void;

/** Most streams end with the provider's own usage and the deferred payloads are never parsed
 *  (the reader drops them: discardHeld()). What a stream holds is bounded twice, so the memory of
 *  an open stream does not grow with its answer (issue 16: 306 kB per stream for a 75 kB answer,
 *  651 kB for 373 kB, with a 256 Ki bound): by age (held-events-sweep.ts parses what an open
 *  stream has held for 250–500 ms) and, for an answer that arrives fast, by size. The size bound
 *  alone had to be 4 Ki to keep slow streams within 2× raw Node's memory, and then a stream of
 *  8–16 kB parsed most of its events (stream c=32: 60% of raw, from 78% at 16 Ki). */
export const DEFERRED_MAX_CHARS = 16 * 1024;
/** OpenAI-family deltas are tokenized once this many characters, or this many deltas, wait: a
 *  delta is often one token of a few characters, and each kept one costs ~50 bytes of heap. */
export const PENDING_MAX_CHARS = 8 * 1024;
export const PENDING_MAX_DELTAS = 256;
/** A stream the held-events sweep visits is open for a while (a slow model): its deltas are
 *  tokenized at each visit once this many wait, so what an open stream keeps stays flat in its
 *  answer length (issue 16: ~200 deltas of ~30 bytes each midway through a 20 s stream). Fast
 *  streams end before a visit and keep the larger batches above. */
export const SWEPT_PENDING_MAX_DELTAS = 64;

/** Deltas handed to the tokenizer thread's async lane, not counted yet. */
interface CountingBatch {
  texts: string[];
  model: string;
  chars: number;
}

export class OutputEstimator implements HeldEvents {
  private counted = 0;
  private chars = 0;
  // Deltas wait here until someone asks for the count (most streams end with the provider's own
  // usage, and then nobody does) or until they pass PENDING_MAX_CHARS.
  // All of one model (a change of model counts what waits first): no object per delta.
  private pending: string[] = [];
  private pendingModel = '';
  private pendingChars = 0;
  // A batch of deltas being counted on the tokenizer thread while the event loop goes on: counting
  // them with a wait held the proxy's thread ~1.1 s over a 1,000-slow-stream run, in the sweep's
  // visits (issue 16: first-byte p99 of every other stream). Asked for the count meanwhile, the
  // estimator counts it with a wait after all, and the late answer is dropped. One at a time: the
  // next batch of a stream faster than the tokenizer is counted with a wait, so it keeps no more.
  private counting: CountingBatch | null = null;
  // Whole SSE events kept by deferEvents: their bytes as latin1 text (one character a byte).
  private deferred: string[] = [];
  private deferredModels: Array<string | undefined> = [];
  private deferredChars = 0;
  private discarded = false;

  constructor(
    private readonly family: ApiFamily,
    private readonly extract: OutputTextExtractor,
    private readonly sweep: HeldEventsSweep = heldEventsSweep,
  ) {}

  add(text: unknown, model: string | undefined): void {
    if (typeof text !== 'string' || text.length === 0) return;
    if (this.family !== 'openai') {
      this.chars += text.length;
      return;
    }
    if ((model ?? '') !== this.pendingModel) {
      this.countPending();
      this.pendingModel = model ?? '';
    }
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars > PENDING_MAX_CHARS || this.pending.length > PENDING_MAX_DELTAS)
      this.countPendingSoon();
  }

  /** Keeps whole SSE events whose payloads are only output text, unparsed until needed: their
   *  bytes as latin1 text (what the meter scanned them as), decoded as UTF-8 only if parsed. */
  deferEvents(events: string, model: string | undefined): void {
    if (this.discarded) return;
    if (this.deferred.length === 0) this.sweep.watch(this);
    this.deferred.push(events);
    this.deferredModels.push(model);
    this.deferredChars += events.length;
    if (this.deferredChars > DEFERRED_MAX_CHARS) this.parseDeferred();
  }

  /** The estimate will never be asked for (the provider's own usage was read): what is held is
   *  dropped unparsed, and later events are not kept. */
  discardHeld(): void {
    this.discarded = true;
    if (this.deferred.length > 0) this.sweep.forget(this);
    this.deferred = [];
    this.deferredModels = [];
    this.deferredChars = 0;
  }

  /** Characters of text the estimator holds (events kept unparsed, one a byte; deltas not yet
   *  counted). */
  retainedChars(): number {
    return this.deferredChars + this.pendingChars + (this.counting?.chars ?? 0);
  }

  /**
   * The output tokens so far. `atMost`: a bound the count never exceeds instead, from lengths
   * alone — no parse of the events held, no hand-over to the tokenizer thread — for a check that
   * only needs the exact count when the bound is too high (a budgeted stream checks its running
   * cost on every chunk: exact, that parsed and tokenized each chunk as it came, with a wait on
   * the tokenizer thread each time). OpenAI: every token stands for at least one UTF-8 byte
   * (tokenUpperBound), a UTF-16 unit is at most 3 bytes, and a text's JSON in an event held
   * unparsed is never shorter than the text (its bytes, which the held events are counted in,
   * never fewer than its UTF-16 units). Others count characters, never more than the events'
   * bytes.
   */
  tokens(atMost = false): number {
    if (atMost) {
      if (this.family !== 'openai') return anthropicTokensForChars(this.chars + this.deferredChars);
      return this.counted + 3 * this.retainedChars();
    }
    if (this.deferred.length > 0) this.parseDeferred();
    if (this.family !== 'openai') return anthropicTokensForChars(this.chars);
    this.countBatchNow();
    this.countPending();
    return this.counted;
  }

  /** Tokenizing each delta on its own can only over-count slightly versus the whole text: the
   *  upper-leaning side is the safe one for budgets. It also makes the count a plain sum, so it
   *  can be taken in batches as the stream flows and come out the same. */
  private countPending(): void {
    if (this.pending.length === 0) return;
    // One hand-over to the tokenizer thread.
    this.counted += countOpenAiTokensSum(this.pending, encodingForModel(this.pendingModel));
    this.pending = [];
    this.pendingChars = 0;
  }

  /** The waiting deltas to the tokenizer thread's async lane, the event loop going on meanwhile;
   *  with a batch there already, counted now, with a wait. */
  private countPendingSoon(): void {
    if (this.pending.length === 0) return;
    if (this.counting) return this.countPending();
    const batch: CountingBatch = { texts: this.pending, model: this.pendingModel, chars: this.pendingChars };
    this.pending = [];
    this.pendingChars = 0;
    this.counting = batch;
    countOpenAiTokensEach(batch.texts, encodingForModel(batch.model)).then(
      (counts) => {
        if (this.counting !== batch) return; // counted with a wait meanwhile
        this.counting = null;
        for (const n of counts) this.counted += n;
      },
      () => undefined, // left in `counting`: counted with a wait when the count is asked for
    );
  }

  /** The batch still on the async lane, counted now (the count is asked for): with the deltas
   *  waiting, in one hand-over, when they are of the same model. */
  private countBatchNow(): void {
    const batch = this.counting;
    if (!batch) return;
    this.counting = null;
    if (batch.model !== this.pendingModel) {
      this.counted += countOpenAiTokensSum(batch.texts, encodingForModel(batch.model));
      return;
    }
    this.pending = batch.texts.concat(this.pending);
    this.pendingChars += batch.chars;
  }

  /** The sweep's call: held long enough. */
  parseHeld(): void {
    this.parseDeferred();
    if (this.pending.length >= SWEPT_PENDING_MAX_DELTAS) this.countPendingSoon();
  }

  private parseDeferred(): void {
    if (this.deferred.length === 0) return;
    this.sweep.forget(this);
    const texts = this.deferred;
    const models = this.deferredModels;
    this.deferred = [];
    this.deferredModels = [];
    this.deferredChars = 0;
    for (let i = 0; i < texts.length; i++) {
      const text = utf8Of(texts[i] as string);
      const model = models[i];
      if (!text.includes('\r')) {
        this.parseLfEvents(text, model);
        continue;
      }
      const each = (raw: Buffer) => {
        const data = readSseData(raw);
        if (data) this.parsePayload(data.text, model);
      };
      const framer = createSseFramer();
      framer.push(Buffer.from(text), each);
      const rest = framer.flush();
      if (rest) each(rest);
    }
  }

  /** Whole events with LF line ends only (what providers send), read on the string itself: each
   *  event's data lines joined with `\n`, as readSseData reads them (a copy to bytes, a framer and
   *  a decode per event were half of what a kept event cost). */
  private parseLfEvents(text: string, model: string | undefined): void {
    let at = 0;
    while (at < text.length) {
      let end = text.indexOf('\n\n', at);
      if (end === -1) end = text.length;
      // The usual event: one `data:` line.
      if (text.startsWith('data:', at) && text.indexOf('\n', at) >= end) {
        this.parsePayload(text.slice(at + (text.charCodeAt(at + 5) === 0x20 ? 6 : 5), end), model);
      } else {
        let data: string | undefined;
        for (let from = at; from < end;) {
          let to = text.indexOf('\n', from);
          if (to === -1 || to > end) to = end;
          if (text.startsWith('data', from) && (to - from === 4 || text.charCodeAt(from + 4) === 0x3a)) {
            const v = Math.min(from + 5, to);
            const value = text.slice(v < to && text.charCodeAt(v) === 0x20 ? v + 1 : v, to);
            data = data === undefined ? value : `${data}\n${value}`;
          }
          from = to + 1;
        }
        if (data !== undefined) this.parsePayload(data, model);
      }
      at = end + 2;
    }
  }

  private parsePayload(payload: string, model: string | undefined): void {
    let data: unknown;
    try {
      data = JSON.parse(payload);
    } catch {
      return; // `[DONE]` and anything else that is not JSON carries no output
    }
    this.extract(data, (t) => this.add(t, model));
  }
}

const NON_ASCII = /[\x80-\xff]/;

/** The text of bytes held as latin1 (no character above 0xff): ASCII reads the same either way,
 *  anything else is decoded. */
function utf8Of(latin1: string): string {
  return NON_ASCII.test(latin1) ? Buffer.from(latin1, 'latin1').toString('utf8') : latin1;
}
