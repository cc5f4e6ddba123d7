// The Responses API's image generation tool (`tools: [{type: "image_generation"}]`) makes one
// image per call, billed at the image model's rates on top of the response's tokens
// (proxy/image-tool.ts records them). A USD budget reserves the images a request may make: one per
// built-in tool call `max_tool_calls` allows, each at its worst case by the tool's size, quality
// and partial images (image-output-tokens.ts). A request that names no `max_tool_calls` reads the
// bound web-search-uses.ts writes for searches (builtInToolCalls) — one reading of the one field,
// so a request with both tools gets the same bound from each; admit may write fewer calls. (Unreserved, one
// high-quality 1024×1024 gpt-image-1 image recorded $0.17666 on a $0.10 budget: found by review,
// round 13.) The image model also bills what it reads: the prompt the model writes for each image,
// at the image model's text-input price. That prompt is the model's own output, so the output
// limit bounds all of them together: every output token is reserved as one the image model may
// read too (withImagePrompts). (Unreserved, a 1,000-token prompt recorded $0.18141 on $0.18.)
// And each call reads the images in the conversation (it edits them) and the tool's mask, billed
// as the image model's image input tokens (image-input-tokens.ts): ten 1024×1024 inputs, unreserved,
// let two of three requests through on $0.05, $0.07883 billed (image-tool-inputs-budget.test.ts).
import type { Provider } from '../../../shared/config.js';
import { ZERO_USAGE, type Endpoint, type Usage } from '../../../shared/usage.js';
import { addUsd } from '../../../shared/money.js';
import { priceUsage, type Prices } from '../pricing/index.js';
import type { ImageSize } from '../meter/image-size.js';
import { editImageTokens, referencedImageSize } from './image-input-tokens.js';
import { imageOutputTokens } from './image-output-tokens.js';
import type { CostOf } from './output-cap.js';
import { namesStoredPrompt } from './stored-responses.js';
import { builtInToolCalls } from './web-search-uses.js';

/** The tool's image model when it names none (platform.openai.com/docs/guides/tools-image-generation,
 *  read 2026-11-29). */
export const DEFAULT_IMAGE_TOOL_MODEL = 'gpt-image-1';

export interface ImageToolCalls {
  /** Images the request may make, at most (one per built-in tool call allowed). */
  images: number;
  /** Each image tool the request names: its image model, image output tokens per image, and the
   *  image input tokens each call may read (the conversation's images and its mask). */
  tools: Array<{ model: string; perImage: number; reads?: number }>;
  /** `max_tool_calls` to write into the body sent upstream, when the request did not bound it. */
  edits?: Record<string, string>;
}

const isImageTool = (t: unknown): t is Record<string, unknown> =>
  typeof t === 'object' && t !== null && (t as { type?: unknown }).type === 'image_generation';

/** The image model of a request's image generation tool (or its default); undefined when the
 *  request has none. */
export function imageToolModel(body: unknown): string | undefined {
  const tools = typeof body === 'object' && body !== null ? (body as { tools?: unknown }).tools : undefined;
  const tool = Array.isArray(tools) ? tools.find(isImageTool) : undefined;
  return tool ? modelOf(tool) : undefined;
}

const modelOf = (t: Record<string, unknown>) =>
  typeof t.model === 'string' && t.model !== '' ? t.model : DEFAULT_IMAGE_TOOL_MODEL;

/** The images a Responses request's image generation tool may make; undefined when it has none
 *  (or `max_tool_calls: 0` lets it make none). */
export function imageToolCalls(endpoint: Endpoint, body: unknown): ImageToolCalls | undefined {
  if (endpoint !== 'responses' || typeof body !== 'object' || body === null) return undefined;
  const named = (body as { tools?: unknown }).tools;
  const listed = Array.isArray(named) ? named.filter(isImageTool) : [];
  // A stored prompt (`prompt: {id}`) brings tools the body does not show: it is reserved as if it
  // held the image tool at its dearest (the default model, any size and quality), as
  // web-search-uses.ts reserves it for searches. Unreserved, its images billed $0.8308 on a $0.60
  // budget (found by red16, 2026-11-29; server-side-context-budget.test.ts).
  const tools = listed.length === 0 && namesStoredPrompt(body) ? [{}] : listed;
  if (tools.length === 0) return undefined;
  // The tool object carries the Images API's own `size`, `quality` and `partial_images`; its `n`,
  // were one written there, is not the tool's: one image per call.
  const inputs = inputImages((body as { input?: unknown }).input);
  const priced = tools.map((t: Record<string, unknown>) => {
    const reads = editImageTokens(modelOf(t), t.input_image_mask ? [...inputs, null] : inputs, t);
    return {
      model: modelOf(t),
      perImage: imageOutputTokens({ size: t.size, quality: t.quality, partial_images: t.partial_images })
        .perImage,
      ...(reads > 0 ? { reads } : {}),
    };
  });
  const { calls, edits } = builtInToolCalls(body);
  if (calls === 0) return undefined;
  return edits ? { images: calls, tools: priced, edits } : { images: calls, tools: priced };
}

/** USD the images may cost at most: `images` of the dearest tool's image, each priced by `costOf`
 *  (the image model's price wherever the request may be served, the dearest of them, null when one
 *  has none); `unpriced` names the image model that could not be priced. */
export function imageToolUsd(
  calls: ImageToolCalls,
  costOf: (model: string, usage: Usage) => number | null,
): { usd: number; perImageUsd: number; promptUsd: (tokens: number) => number } | { unpriced: string } {
  let perImage = 0;
  for (const t of calls.tools) {
    // gpt-image models bill their output as image tokens (part of outputTokens), and what they
    // read as image input tokens.
    const usd = costOf(t.model, {
      ...ZERO_USAGE,
      inputTokens: t.reads ?? 0,
      inputImageTokens: t.reads ?? 0,
      outputTokens: t.perImage,
      outputImageTokens: t.perImage,
    });
    if (usd === null || costOf(t.model, { ...ZERO_USAGE, inputTokens: 1 }) === null)
      return { unpriced: t.model };
    perImage = Math.max(perImage, usd);
  }
  // The prompts' text at the dearest image model's input price (each was priced above).
  const promptUsd = (tokens: number) => {
    let dearest = 0;
    for (const t of calls.tools)
      dearest = Math.max(dearest, costOf(t.model, { ...ZERO_USAGE, inputTokens: tokens }) ?? 0);
    return dearest;
  };
  return { usd: perImage * calls.images, perImageUsd: perImage, promptUsd };
}

/** `cost` with the image tool's prompts: each output token also read by the image model, at
 *  `promptUsd` (imageToolUsd). Admit sizes the output limit with it, so the limit bounds both. */
export function withImagePrompts(cost: CostOf, promptUsd: (tokens: number) => number): CostOf {
  return (u) => {
    const usd = cost(u);
    return usd === null || u.outputTokens === 0 ? usd : addUsd(usd, promptUsd(u.outputTokens));
  };
}

export type ImageToolReservation =
  /** The images' worst case (`images` of `perImageUsd` each), and the `max_tool_calls` to write
   *  when the request named none: then admit may write fewer, as many as the budget can pay for. */
  | {
      usd: number;
      perImageUsd: number;
      images: number;
      /** The image models' text-input price of `tokens` of prompt (withImagePrompts). */
      promptUsd: (tokens: number) => number;
      edits?: Record<string, string>;
    }
  /** The image model could not be priced where the request may be served. */
  | { unpriced: string };

/** What a request's image generation tool may cost under a budget, its image model priced at each
 *  provider that may serve the request (the routed one and its fallbacks: the answer is priced
 *  where it was served); undefined when it can make no image. */
export function reserveImageTool(
  endpoint: Endpoint,
  body: unknown,
  x: { prices: Prices; providers: readonly Provider[]; at: Date },
): ImageToolReservation | undefined {
  const calls = imageToolCalls(endpoint, body);
  if (!calls) return undefined;
  const reserved = imageToolUsd(calls, (model, usage) => {
    let dearest = 0;
    for (const provider of x.providers) {
      const usd = priceUsage(x.prices.lookup({ provider, model, at: x.at }), usage);
      if (usd === null) return null;
      dearest = Math.max(dearest, usd);
    }
    return dearest;
  });
  if (!('usd' in reserved)) return reserved;
  return { ...reserved, images: calls.images, ...(calls.edits ? { edits: calls.edits } : {}) };
}

/** The sizes of a Responses input's images (null: by URL or file id, size unknown). */
function inputImages(input: unknown): Array<ImageSize | null> {
  const sizes: Array<ImageSize | null> = [];
  if (!Array.isArray(input)) return sizes;
  for (const item of input) {
    const content =
      typeof item === 'object' && item !== null ? (item as { content?: unknown }).content : undefined;
    if (!Array.isArray(content)) continue;
    for (const part of content) {
      if (typeof part !== 'object' || part === null || (part as { type?: unknown }).type !== 'input_image')
        continue;
      sizes.push(referencedImageSize((part as { image_url?: unknown }).image_url));
    }
  }
  return sizes;
}
