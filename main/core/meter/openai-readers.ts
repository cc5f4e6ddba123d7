// Readers for OpenAI-shaped responses, streamed or not: Chat Completions, legacy Completions,
// Embeddings (one reader: same `usage` shape) and the Responses API.
import type { ApiFamily, Usage } from '../../../shared/usage.js';
import { readChatUsage, readResponsesUsage } from './openai-usage.js';
import { createOutputEstimator } from './output-estimate.js';
import { estimatedUsage, type UsageReader } from './usage-reader.js';
import { field, isObject } from './usage-fields.js';

/** chat.completion(.chunk), text_completion and embedding list bodies. */
export function createChatReader(family: ApiFamily, inputEstimate: () => number): UsageReader {
  const estimate = createOutputEstimator(family);
  let final: Usage | undefined;
  let model: string | undefined;
  return {
    onData(data) {
      if (!isObject(data)) return;
      if (typeof data.model === 'string') model = data.model;
      const usage = readChatUsage(data.usage);
      if (usage) final = usage;
      if (!Array.isArray(data.choices)) return;
      for (const choice of data.choices) {
        // Streams carry `delta`, whole bodies `message`; legacy completions carry `text`.
        const msg = field(choice, 'delta') ?? field(choice, 'message');
        estimate.add(field(choice, 'text'), model);
        estimate.add(field(msg, 'content'), model);
        estimate.add(field(msg, 'refusal'), model);
        estimate.add(field(msg, 'reasoning_content'), model);
        const calls = field(msg, 'tool_calls');
        if (!Array.isArray(calls)) continue;
        for (const call of calls) {
          estimate.add(field(field(call, 'function'), 'name'), model);
          estimate.add(field(field(call, 'function'), 'arguments'), model);
        }
      }
    },
    usage: () => final ?? estimatedUsage(inputEstimate(), estimate.tokens()),
    get final() {
      return final !== undefined;
    },
    get model() {
      return model;
    },
  };
}

/** Stream events that end a response and carry `response.usage`. */
const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/** Responses API: a whole `response` object, or its stream of typed events. */
export function createResponsesReader(family: ApiFamily, inputEstimate: () => number): UsageReader {
  const estimate = createOutputEstimator(family);
  let final: Usage | undefined;
  let model: string | undefined;
  const takeResponse = (response: unknown) => {
    const m = field(response, 'model');
    if (typeof m === 'string') model = m;
  };
  return {
    onData(data) {
      if (!isObject(data)) return;
      const type = data.type;
      if (data.object === 'response') {
        // Non-streaming body.
        takeResponse(data);
        final = readResponsesUsage(data.usage) ?? final;
        if (!final) addOutputText(data.output, (t) => estimate.add(t, model));
        return;
      }
      if (typeof type !== 'string') return;
      if (isObject(data.response)) takeResponse(data.response);
      if (TERMINAL.has(type)) {
        final = readResponsesUsage(field(data.response, 'usage')) ?? final;
      } else if (type.endsWith('.delta') && type !== 'response.audio.delta') {
        // output_text, function_call_arguments, reasoning/summary text, refusal, transcript…
        estimate.add(data.delta, model);
      }
    },
    usage: () => final ?? estimatedUsage(inputEstimate(), estimate.tokens()),
    get final() {
      return final !== undefined;
    },
    get model() {
      return model;
    },
  };
}

/** Text of a whole Responses `output` array (only used when the body has no usage). */
function addOutputText(output: unknown, add: (t: unknown) => void): void {
  if (!Array.isArray(output)) return;
  for (const item of output) {
    add(field(item, 'arguments'));
    const content = field(item, 'content');
    if (Array.isArray(content)) for (const part of content) add(field(part, 'text'));
  }
}
