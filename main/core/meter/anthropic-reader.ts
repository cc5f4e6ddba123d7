// Reader for Anthropic Messages responses, streamed or not. In a stream, message_start has the
// input and cache counts and each message_delta.usage is CUMULATIVE: the latest wins, never summed.
import type { ApiFamily } from '../../../shared/usage.js';
import { anthropicCountsToUsage, mergeAnthropicCounts, type AnthropicCounts } from './anthropic-usage.js';
import { createOutputEstimator } from './output-estimate.js';
import type { UsageReader } from './usage-reader.js';
import { field, isObject } from './usage-fields.js';

export function createMessagesReader(family: ApiFamily, inputEstimate: () => number): UsageReader {
  const estimate = createOutputEstimator(family);
  let counts: AnthropicCounts = {};
  let started = false;
  let final = false;
  let model: string | undefined;
  return {
    onData(data) {
      if (!isObject(data)) return;
      switch (data.type) {
        case 'message': {
          // Non-streaming body: its usage is final.
          if (typeof data.model === 'string') model = data.model;
          if (isObject(data.usage)) {
            counts = mergeAnthropicCounts({}, data.usage);
            started = final = true;
          } else if (Array.isArray(data.content)) {
            for (const block of data.content) addBlock(block);
          }
          break;
        }
        case 'message_start': {
          const m = field(data.message, 'model');
          if (typeof m === 'string') model = m;
          counts = mergeAnthropicCounts(counts, field(data.message, 'usage'));
          started = true;
          break;
        }
        case 'content_block_start':
          addBlock(data.content_block);
          break;
        case 'content_block_delta': {
          const d = data.delta;
          estimate.add(field(d, 'text'), model);
          estimate.add(field(d, 'partial_json'), model);
          estimate.add(field(d, 'thinking'), model);
          break;
        }
        case 'message_delta':
          if (isObject(data.usage)) {
            counts = mergeAnthropicCounts(counts, data.usage);
            // message_delta carries the final cumulative count; message_stop adds nothing to it.
            final = true;
          }
          break;
      }
    },
    usage() {
      if (final) return anthropicCountsToUsage(counts);
      // message_start reports output_tokens of 1 or so: the deltas seen since say more.
      const output = Math.max(counts.output ?? 0, estimate.tokens());
      return anthropicCountsToUsage({
        ...counts,
        input: started ? counts.input : inputEstimate(),
        output,
      });
    },
    get final() {
      return final;
    },
    get model() {
      return model;
    },
  };

  function addBlock(block: unknown) {
    estimate.add(field(block, 'text'), model);
    estimate.add(field(block, 'thinking'), model);
    const input = field(block, 'input');
    if (field(block, 'type') === 'tool_use' && isObject(input) && Object.keys(input).length > 0) {
      estimate.add(JSON.stringify(input), model);
    }
  }
}
