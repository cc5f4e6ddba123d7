// Readers for OpenAI-shaped responses, streamed or not: Chat Completions, legacy Completions,
// Embeddings (one reader: same `usage` shape) and the Responses API.
// Classes, not object literals: V8 builds a literal with getters slowly (microseconds, every request).
import type { ApiFamily, Usage } from '../../../shared/usage.js';
import { containerMemoryGb, createsContainer, MAX_CONTAINER_GB } from '../pricing/container-fees.js';
import { firstMatch } from './deferrable-payload.js';
import { readImagesUsage } from './openai-media-usage.js';
import { readChatUsage, readResponsesUsage } from './openai-usage.js';
import { OutputEstimator } from './output-estimate.js';
import { STANDARD_DIALECT, type ProviderDialect } from './provider-dialect.js';
import { estimatedUsage, type UsageReader } from './usage-reader.js';
import { field, isObject, labelOrUndefined, makeUsage } from './usage-fields.js';

/** chat.completion(.chunk), text_completion and embedding list bodies. */
export class ChatReader implements UsageReader {
  private readonly estimate: OutputEstimator;
  private finalUsage: Usage | undefined;
  private lastModel: string | undefined;
  /** `:"<model>"` as the scanned text spells the last model (see chatSignificantByte), or
   *  undefined before any: then every `model"` stops a run. */
  private modelTail: string | undefined;

  constructor(
    family: ApiFamily,
    private readonly inputEstimate: (atMost?: boolean) => number,
    private readonly dialect: ProviderDialect = STANDARD_DIALECT,
  ) {
    this.estimate = new OutputEstimator(family, addChatOutput);
  }

  onData(data: unknown): void {
    if (!isObject(data)) return;
    if (typeof data.model === 'string' && data.model !== this.lastModel) {
      this.lastModel = data.model;
      this.modelTail = modelTailOf(data.model);
    }
    // service_tier comes with every chunk, the usage chunk included.
    const usage = readChatUsage(data.usage, this.dialect, data.service_tier);
    if (usage) {
      this.finalUsage = usage;
      // usage() is the provider's from now on: the held events are never parsed.
      this.estimate.discardHeld();
    }
    const model = this.lastModel;
    addChatOutput(data, (t) => this.estimate.add(t, model));
  }

  firstSignificantByte(events: string, from: number): number {
    return chatSignificantByte(events, from, this.modelTail);
  }

  deferEvents(events: string): void {
    this.estimate.deferEvents(events, this.lastModel);
  }

  usage(atMost = false): Usage {
    return this.finalUsage ?? estimatedUsage(this.inputEstimate(atMost), this.estimate.tokens(atMost));
  }

  get final(): boolean {
    return this.finalUsage !== undefined;
  }

  get model(): string | undefined {
    return this.lastModel;
  }
}

const tails = new Map<string, string>();

/** `:"<model>"` as JSON spells it, and as the scanned text does: UTF-8 bytes read as latin1. */
function modelTailOf(model: string): string {
  let tail = tails.get(model);
  if (tail === undefined) {
    if (tails.size >= 64) tails.clear();
    tail = Buffer.from(`:${JSON.stringify(model)}`).toString('latin1');
    tails.set(model, tail);
  }
  return tail;
}

/**
 * Where chat events stop being deferrable: a `\u` (it could spell a key), a `usage"` not
 * followed by `:null`, a `model"` not followed by the last model (every chunk repeats it).
 * The same stops as the regular expression /\\u|usage"(?!:null)|model"(?!<tail>)/ found, by
 * native substring searches: an alternation with look-aheads is tried at every offset, and it
 * was a tenth of what metering a stream cost (every event has one `usage"` and one `model"`).
 */
function chatSignificantByte(text: string, from: number, modelTail: string | undefined): number {
  let stop = text.indexOf('\\u', from);
  if (stop === -1) stop = text.length;
  for (let i = text.indexOf('usage"', from); i !== -1 && i < stop; i = text.indexOf('usage"', i + 6))
    if (!text.startsWith(':null', i + 6)) stop = i;
  for (let i = text.indexOf('model"', from); i !== -1 && i < stop; i = text.indexOf('model"', i + 6))
    if (modelTail === undefined || !text.startsWith(modelTail, i + 6)) stop = i;
  return stop;
}

const RESPONSES_SIGNIFICANT = /\\u|"response"/g;

/** Output text of chat choices: stream `delta`s, whole-body `message`s, legacy completion `text`. */
function addChatOutput(data: unknown, add: (text: unknown) => void): void {
  const choices = field(data, 'choices');
  if (!Array.isArray(choices)) return;
  for (const choice of choices) {
    const msg = field(choice, 'delta') ?? field(choice, 'message');
    add(field(choice, 'text'));
    add(field(msg, 'content'));
    add(field(msg, 'refusal'));
    // Reasoning text some providers stream (DeepSeek, xAI: reasoning_content; OpenRouter, vLLM,
    // Ollama: reasoning / reasoning_details): hidden reasoning counts as soon as it shows.
    add(field(msg, 'reasoning_content'));
    // OpenRouter repeats `reasoning` in `reasoning_details`: one of the two is counted.
    const reasoning = field(msg, 'reasoning');
    add(reasoning);
    const details = field(msg, 'reasoning_details');
    if (typeof reasoning !== 'string' && Array.isArray(details)) {
      for (const d of details) {
        add(field(d, 'text'));
        add(field(d, 'summary'));
      }
    }
    const calls = field(msg, 'tool_calls');
    if (!Array.isArray(calls)) continue;
    for (const call of calls) {
      add(field(field(call, 'function'), 'name'));
      add(field(field(call, 'function'), 'arguments'));
    }
  }
}

/** Stream events that end a response and carry `response.usage`. */
const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/** Responses API: a whole `response` object, or its stream of typed events. */
export class ResponsesReader implements UsageReader {
  private readonly estimate: OutputEstimator;
  private finalUsage: Usage | undefined;
  private lastModel: string | undefined;
  private id: string | undefined;
  private imageTool: Usage | undefined;

  constructor(
    family: ApiFamily,
    private readonly inputEstimate: (atMost?: boolean) => number,
    private readonly dialect: ProviderDialect = STANDARD_DIALECT,
  ) {
    this.estimate = new OutputEstimator(family, addResponsesDelta);
  }

  onData(data: unknown): void {
    if (!isObject(data)) return;
    const type = data.type;
    if (data.object === 'response') {
      // Non-streaming body.
      this.takeResponse(data);
      this.finalUsage = readResponse(data, this.dialect) ?? this.finalUsage;
      this.imageTool = readImageTool(data) ?? this.imageTool;
      const model = this.lastModel;
      if (!this.finalUsage) addOutputText(data.output, (t) => this.estimate.add(t, model));
      return;
    }
    if (typeof type !== 'string') return;
    if (isObject(data.response)) this.takeResponse(data.response);
    if (TERMINAL.has(type)) {
      this.finalUsage = readResponse(data.response, this.dialect) ?? this.finalUsage;
      this.imageTool = readImageTool(data.response) ?? this.imageTool;
      // usage() is the provider's from now on: the held events are never parsed.
      if (this.finalUsage) this.estimate.discardHeld();
    } else {
      const model = this.lastModel;
      addResponsesDelta(data, (t) => this.estimate.add(t, model));
    }
  }

  // Only events with a `response` object (or `"object":"response"`) carry usage or the model.
  firstSignificantByte(events: string, from: number): number {
    return firstMatch(RESPONSES_SIGNIFICANT, events, from);
  }

  deferEvents(events: string): void {
    this.estimate.deferEvents(events, this.lastModel);
  }

  usage(atMost = false): Usage {
    return this.finalUsage ?? estimatedUsage(this.inputEstimate(atMost), this.estimate.tokens(atMost));
  }

  get final(): boolean {
    return this.finalUsage !== undefined;
  }

  get model(): string | undefined {
    return this.lastModel;
  }

  get responseId(): string | undefined {
    return this.id;
  }

  get toolImageUsage(): Usage | undefined {
    return this.imageTool;
  }

  private takeResponse(response: unknown): void {
    const m = field(response, 'model');
    if (typeof m === 'string') this.lastModel = m;
    const id = field(response, 'id');
    if (typeof id === 'string') this.id = id;
  }
}

/** The image generation tool's usage in a Responses `response` (`tool_usage.image_gen`: input
 *  and output tokens of the image model, as the Images API reports them), or undefined. */
function readImageTool(response: unknown): Usage | undefined {
  const usage = readImagesUsage(field(field(response, 'tool_usage'), 'image_gen'));
  return usage && usage.inputTokens + usage.outputTokens > 0 ? usage : undefined;
}

/** A whole Responses `response` object's usage, with what the response itself says: the tier
 *  that served it, the built-in tool calls billed per call (each `web_search_call` or
 *  `file_search_call` output item is one) and the code interpreter containers it created. */
function readResponse(response: unknown, dialect: ProviderDialect): Usage | undefined {
  const usage = readResponsesUsage(field(response, 'usage'), dialect);
  if (!usage) return undefined;
  const output = field(response, 'output');
  let searches = 0;
  let fileSearches = 0;
  let containerIds: Set<unknown> | undefined;
  // xAI's code interpreter is its code execution tool under OpenAI's name, billed per call, in no
  // container (pricing/xai-tool-fees.ts).
  const xai = dialect.name === 'xai';
  let codeCalls = 0;
  if (Array.isArray(output))
    for (const item of output) {
      const type = field(item, 'type');
      if (type === 'web_search_call') searches++;
      else if (type === 'file_search_call') fileSearches++;
      else if (type === 'code_interpreter_call') {
        if (xai) codeCalls++;
        else (containerIds ??= new Set()).add(field(item, 'container_id'));
      }
    }
  const containers = containerIds
    ? createdContainers(field(response, 'tools'), containerIds.size)
    : undefined;
  const tier = labelOrUndefined(field(response, 'service_tier'));
  if (searches === 0 && fileSearches === 0 && codeCalls === 0 && !tier && !containers) return usage;
  return makeUsage({
    ...usage,
    webSearchRequests: searches,
    fileSearchCalls: fileSearches,
    codeExecutionCalls: codeCalls,
    ...(containers ?? {}),
    ...(tier ? { serviceTier: tier } : {}),
  });
}

/** The containers a response's code interpreter calls ran in that it created (its tool's
 *  container is `auto`, as the response echoes its tools), at that tool's memory; undefined when
 *  they ran in one the request named (created, and billed, before). */
function createdContainers(
  tools: unknown,
  ran: number,
): Pick<Usage, 'containers' | 'containerMemoryGb'> | undefined {
  const tool = Array.isArray(tools) ? tools.find((t) => field(t, 'type') === 'code_interpreter') : undefined;
  // An answer that does not echo its tools: the calls' containers are taken as new, at 1 GB.
  const container = tool === undefined ? undefined : field(tool, 'container');
  if (!createsContainer(container)) return undefined;
  return { containers: ran, containerMemoryGb: containerMemoryGb(container) ?? MAX_CONTAINER_GB };
}

/** The text of a `*.delta` stream event: output_text, function_call_arguments, reasoning/summary
 *  text, refusal, transcript… (not audio). */
function addResponsesDelta(data: unknown, add: (text: unknown) => void): void {
  const type = field(data, 'type');
  if (typeof type === 'string' && type.endsWith('.delta') && type !== 'response.audio.delta') {
    add(field(data, 'delta'));
  }
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
