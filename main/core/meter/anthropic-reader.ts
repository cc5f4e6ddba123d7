// Reader for Anthropic Messages responses, streamed or not. In a stream, message_start has the
// input and cache counts and each message_delta.usage is CUMULATIVE: the latest wins, never summed.
// A class, not an object literal: V8 builds a literal with getters slowly (microseconds, every request).
import type { ApiFamily, Usage } from '../../../shared/usage.js';
import { anthropicCountsToUsage, mergeAnthropicCounts, type AnthropicCounts } from './anthropic-usage.js';
import { firstMatch } from './deferrable-payload.js';
import { OutputEstimator } from './output-estimate.js';
import type { UsageReader } from './usage-reader.js';
import { field, isObject } from './usage-fields.js';

/** Only the message* events (message_start, message_delta, a whole message) carry usage or the model. */
const SIGNIFICANT = /\\u|"message/g;

export class MessagesReader implements UsageReader {
  private readonly estimate: OutputEstimator;
  private counts: AnthropicCounts = {};
  private started = false;
  private isFinal = false;
  private lastModel: string | undefined;
  private id: string | undefined;
  private readonly add = (text: unknown): void => this.estimate.add(text, this.lastModel);

  constructor(
    family: ApiFamily,
    private readonly inputEstimate: (atMost?: boolean) => number,
    private readonly inputKnown?: (tokens: number) => void,
  ) {
    this.estimate = new OutputEstimator(family, addBlockOutput);
  }

  onData(data: unknown): void {
    if (!isObject(data)) return;
    switch (data.type) {
      case 'message': {
        // Non-streaming body: its usage is final.
        if (typeof data.model === 'string') this.lastModel = data.model;
        if (typeof data.id === 'string') this.id = data.id;
        if (isObject(data.usage)) {
          this.counts = mergeAnthropicCounts({}, data.usage);
          this.started = this.isFinal = true;
        } else if (Array.isArray(data.content)) {
          for (const block of data.content) addBlock(block, this.add);
        }
        break;
      }
      case 'message_start': {
        const m = field(data.message, 'model');
        if (typeof m === 'string') this.lastModel = m;
        const id = field(data.message, 'id');
        if (typeof id === 'string') this.id = id;
        this.counts = mergeAnthropicCounts(this.counts, field(data.message, 'usage'));
        this.started = true;
        // The input is counted from here on (usage() reads it): the estimate's source can go.
        if (this.inputKnown && this.counts.input !== undefined)
          this.inputKnown(anthropicCountsToUsage(this.counts).inputTokens);
        break;
      }
      case 'content_block_start':
      case 'content_block_delta':
        addBlockOutput(data, this.add);
        break;
      case 'message_delta':
        if (isObject(data.usage)) {
          this.counts = mergeAnthropicCounts(this.counts, data.usage);
          // message_delta carries the final cumulative count; message_stop adds nothing to it.
          this.isFinal = true;
        }
        break;
    }
  }

  firstSignificantByte(events: string, from: number): number {
    return firstMatch(SIGNIFICANT, events, from);
  }

  deferEvents(events: string): void {
    this.estimate.deferEvents(events, this.lastModel);
  }

  usage(atMost = false): Usage {
    const counts = this.counts;
    if (this.isFinal) return anthropicCountsToUsage(counts);
    // message_start reports output_tokens of 1 or so: the deltas seen since say more.
    const output = Math.max(counts.output ?? 0, this.estimate.tokens(atMost));
    return anthropicCountsToUsage({
      ...counts,
      input: this.started ? counts.input : this.inputEstimate(atMost),
      output,
    });
  }

  get final(): boolean {
    return this.isFinal;
  }

  get model(): string | undefined {
    return this.lastModel;
  }

  /** The message's id: a later request may continue its thread (limits/stored-responses.ts). */
  get responseId(): string | undefined {
    return this.id;
  }
}

/** The output text of a content_block_start or content_block_delta event. */
function addBlockOutput(data: unknown, add: (text: unknown) => void): void {
  const type = field(data, 'type');
  if (type === 'content_block_start') return addBlock(field(data, 'content_block'), add);
  if (type !== 'content_block_delta') return;
  const d = field(data, 'delta');
  add(field(d, 'text'));
  add(field(d, 'partial_json'));
  add(field(d, 'thinking'));
}

function addBlock(block: unknown, add: (text: unknown) => void): void {
  add(field(block, 'text'));
  add(field(block, 'thinking'));
  // Redacted thinking is billed thinking too; its encrypted text is the only sign of its size.
  if (field(block, 'type') === 'redacted_thinking') add(field(block, 'data'));
  const input = field(block, 'input');
  if (field(block, 'type') === 'tool_use' && isObject(input) && Object.keys(input).length > 0) {
    add(JSON.stringify(input));
  }
}
