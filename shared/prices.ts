import { z } from 'zod';

/** A user's own price, USD per 1M tokens. Missing cache prices fall back per WIRE-FACTS (see
 *  main/core/pricing/user-price.ts). Every field but input/output is optional so a config.json
 *  of an older version still loads. */
export const PriceSchema = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cachedInput: z.number().nonnegative().optional(),
  /** 5-minute cache writes (and every cache write of providers that have only one kind). */
  cacheWrite: z.number().nonnegative().optional(),
  /** 1-hour cache writes (Anthropic `ephemeral_1h_input_tokens`). */
  cacheWrite1h: z.number().nonnegative().optional(),
});
export type Price = z.infer<typeof PriceSchema>;

/** `catalog`: the @pydantic/genai-prices catalog (bundled or refreshed); `refreshed`: a LiteLLM list
 *  an older version saved as prices.json (exact names only); `user`: config.prices. `builtin` is
 *  the hand table of older versions, kept so their answers still parse. */
export const PriceSourceSchema = z.enum(['builtin', 'refreshed', 'user', 'catalog']);
export type PriceSource = z.infer<typeof PriceSourceSchema>;
