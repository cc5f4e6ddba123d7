// A Claude model's 1-hour cache write costs 2× its input price wherever Anthropic's price is passed
// through (https://platform.claude.com/docs/en/build-with-claude/prompt-caching#pricing; OpenRouter
// bills Anthropic's own rates, openrouter.ai/docs/features/prompt-caching, read 2026-11-29). The
// catalog gives that rate on Anthropic's own entries only: OpenRouter's, Bedrock's and Vertex's
// entries of the same models carry the 5-minute rate alone, so a request asking for the 1-hour TTL
// there (`cache_control: {type: "ephemeral", ttl: "1h"}` in an OpenAI-compatible body) was
// reserved at 1.25× its input and billed 2× (openrouter-claude-budget.test.ts).
import type { ModelInfo, ModelPrice } from '@pydantic/genai-prices';
import { isClaudeModel } from '../route/bare-model.js';

const exact = (x: number) => Number(x.toPrecision(12));

/** `model` with a 1-hour write rate of twice its input rate, where it is a Claude model whose price
 *  has a 5-minute write rate and no 1-hour one; otherwise `model` itself. */
export function withClaudeOneHourWrite(model: ModelInfo): ModelInfo {
  if (!isClaudeModel(model.id)) return model;
  const prices = Array.isArray(model.prices)
    ? model.prices.map((c) => ({ ...c, prices: withOneHour(c.prices) }))
    : withOneHour(model.prices);
  return { ...model, prices };
}

function withOneHour(price: ModelPrice): ModelPrice {
  const input = price.input_mtok;
  if (price.cache_write_1h_mtok !== undefined || price.cache_write_mtok === undefined || input === undefined)
    return price;
  const doubled =
    typeof input === 'number'
      ? exact(input * 2)
      : {
          base: exact(input.base * 2),
          tiers: input.tiers.map((t) => ({ start: t.start, price: exact(t.price * 2) })),
        };
  return { ...price, cache_write_1h_mtok: doubled as ModelPrice[string] };
}
