import { z } from 'zod';

/** USD per 1M tokens. Missing cachedInput/cacheWrite fall back per WIRE-FACTS (see main/core/pricing). */
export const PriceSchema = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cachedInput: z.number().nonnegative().optional(),
  cacheWrite: z.number().nonnegative().optional(),
});
export type Price = z.infer<typeof PriceSchema>;

export const PriceSourceSchema = z.enum(['builtin', 'refreshed', 'user']);
export type PriceSource = z.infer<typeof PriceSourceSchema>;
