// Readers for OpenAI's image and audio endpoints, streamed (SSE) or not. Their stream events are
// mostly base64 image/audio pieces: those are kept unparsed; only an event naming `usage` is read.
import type { ApiFamily, Usage } from '../../../shared/usage.js';
import { firstMatch } from './deferrable-payload.js';
import {
  imagesFromData,
  readImagesUsage,
  readSpeechUsage,
  readTranscriptionUsage,
} from './openai-media-usage.js';
import { OutputEstimator } from './output-estimate.js';
import { STANDARD_DIALECT, type ProviderDialect } from './provider-dialect.js';
import { estimatedUsage, type UsageReader } from './usage-reader.js';
import { field, isObject } from './usage-fields.js';

const USAGE_SIGNIFICANT = /\\u|"usage"/g;

/** Shared shape: a final usage once read, else an estimate. */
abstract class MediaReader implements UsageReader {
  protected finalUsage: Usage | undefined;

  constructor(protected readonly inputEstimate: (atMost?: boolean) => number) {}

  abstract onData(data: unknown): void;

  firstSignificantByte(events: string, from: number): number {
    return firstMatch(USAGE_SIGNIFICANT, events, from);
  }

  deferEvents(_events: string): void {
    // Image and audio pieces carry no text to estimate.
  }

  usage(atMost = false): Usage {
    return this.finalUsage ?? estimatedUsage(this.inputEstimate(atMost), 0);
  }

  get final(): boolean {
    return this.finalUsage !== undefined;
  }

  get model(): string | undefined {
    return undefined; // these answers do not name the model: the request's name stands
  }
}

/** /v1/images/generations and /edits: gpt-image usage, or one unit per image (DALL·E). Streamed:
 *  `image_generation.completed` / `image_edit.completed` carry the usage. */
export class ImagesReader extends MediaReader {
  constructor(
    inputEstimate: (atMost?: boolean) => number,
    private readonly dialect: ProviderDialect = STANDARD_DIALECT,
  ) {
    super(inputEstimate);
  }

  onData(data: unknown): void {
    if (!isObject(data)) return;
    const usage = readImagesUsage(data.usage, this.dialect);
    if (usage) this.finalUsage = usage;
    else if (data.type === undefined) this.finalUsage = imagesFromData(data.data) ?? this.finalUsage;
  }
}

/** /v1/audio/transcriptions and /translations. Streamed: `transcript.text.delta` events, then
 *  `transcript.text.done` with the usage; a cut stream is estimated from the text so far. */
export class TranscriptionReader extends MediaReader {
  private readonly estimate: OutputEstimator;

  constructor(family: ApiFamily, inputEstimate: (atMost?: boolean) => number) {
    super(inputEstimate);
    this.estimate = new OutputEstimator(family, addTranscriptDelta);
  }

  onData(data: unknown): void {
    if (!isObject(data)) return;
    const usage = readTranscriptionUsage(data.usage, data.duration);
    if (usage) {
      this.finalUsage = usage;
      this.estimate.discardHeld(); // usage() is the provider's from now on
    } else addTranscriptDelta(data, (t) => this.estimate.add(t, undefined));
  }

  override firstSignificantByte(events: string, from: number): number {
    return firstMatch(TRANSCRIPT_SIGNIFICANT, events, from);
  }

  override deferEvents(events: string): void {
    this.estimate.deferEvents(events, undefined);
  }

  override usage(atMost = false): Usage {
    return this.finalUsage ?? estimatedUsage(this.inputEstimate(atMost), this.estimate.tokens(atMost));
  }
}

/** A verbose_json answer reports its `duration` instead of usage. */
const TRANSCRIPT_SIGNIFICANT = /\\u|"usage"|"duration"/g;

function addTranscriptDelta(data: unknown, add: (text: unknown) => void): void {
  if (field(data, 'type') === 'transcript.text.delta') add(field(data, 'delta'));
}

/** /v1/audio/speech: billed by the request's characters (given by the caller) or, for an SSE
 *  answer, by the tokens of `speech.audio.done`. A binary answer is never parsed. */
export class SpeechReader extends MediaReader {
  constructor(
    inputEstimate: (atMost?: boolean) => number,
    private readonly characters: number | undefined,
  ) {
    super(inputEstimate);
    if (characters !== undefined) this.finalUsage = readSpeechUsage(characters);
  }

  onData(data: unknown): void {
    const usage = field(data, 'usage');
    if (isObject(usage)) this.finalUsage = readSpeechUsage(this.characters, usage);
  }

  override usage(): Usage {
    return this.finalUsage ?? readSpeechUsage(undefined);
  }
}
