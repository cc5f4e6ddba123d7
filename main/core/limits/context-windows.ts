// The context window a worst case is bounded with, where the price catalog gives a model none. The
// catalog (@pydantic/genai-prices) has no window for gemini-2.5-pro or gemini-3-pro-preview, so a
// request whose input only the provider sizes (a video by URI, a cache, fetched pages) was reserved
// at the 400,000 assumed for any model — and a 58-minute video on gemini-2.5-pro billed $2.61 on a
// $2 budget (found by red16, 2026-11-29; test/integration/server-side-context-budget.test.ts).
import type { PriceMatch } from '../pricing/index.js';
import { bareModel } from '../route/bare-model.js';

/** Input token limits, checked 2026-11-29 against ai.google.dev/gemini-api/docs/models ("Input
 *  token limit": 1,048,576 for Gemini 2.5 Pro, 2.5 Flash and 3 Pro). First match wins. */
const WINDOW_TABLE: ReadonlyArray<readonly [RegExp, number]> = [[/^gemini-(2\.5|3)/, 1_048_576]];

/** The model's context window: the catalog's, else the table's, else undefined. */
export function contextWindowOf(price: PriceMatch | undefined): number | undefined {
  if (!price) return undefined;
  if (price.contextWindow !== undefined) return price.contextWindow;
  const model = bareModel(price.model);
  return WINDOW_TABLE.find(([re]) => re.test(model))?.[1];
}
