// The Responses API's image generation tool (`tools: [{type: "image_generation"}]`) makes its
// images with an image model, billed at that model's rates, and reports their tokens apart from
// the answer's usage, in `tool_usage.image_gen` (meter/openai-readers.ts). Which model: the tool's
// `model`, else the tool's default, gpt-image-1 (platform.openai.com/docs/guides/tools-image-generation,
// read 2026-11-29).
import type { Provider } from '../../../shared/config.js';
import type { Usage } from '../../../shared/usage.js';
import { addUsd } from '../../../shared/money.js';
import { priceUsage, type Prices } from '../pricing/index.js';

// Which model the tool names is read where its images are reserved too (limits/image-tool-calls.ts).
export { DEFAULT_IMAGE_TOOL_MODEL, imageToolModel } from '../limits/image-tool-calls.js';

/** `costUsd` of the answer with the tool's images added at the image model's price there; null
 *  (unpriced) when that price is unknown or cannot price them. */
export function withImageTool(
  prices: Prices,
  x: { costUsd: number | null; usage: Usage; model: string; provider: Provider; at: Date },
): number | null {
  if (x.costUsd === null) return null;
  const usd = priceUsage(prices.lookup({ provider: x.provider, model: x.model, at: x.at }), x.usage);
  return usd === null ? null : addUsd(x.costUsd, usd);
}
