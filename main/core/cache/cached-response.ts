// What the cache stores per key: enough to replay the upstream answer byte for byte and to
// price what the replay saved.
import { z } from 'zod';
import { UsageSchema, type Usage } from '../../../shared/usage.js';

export interface CachedResponse {
  status: number;
  /** Response headers worth replaying (content-type and provider ids; never set-cookie, never hop-by-hop, never content-length/encoding). */
  headers: Record<string, string>;
  /** Raw bytes as the upstream sent them (SSE bytes for streams). */
  body: Buffer;
  streamed: boolean;
  /** What the original cost, for "saved" accounting. */
  usage: Usage;
  costUsd: number | null;
  model: string;
  /** Epoch ms. */
  storedAt: number;
}

/** What the cache is given to store: the body may still be the pieces it arrived in, which the
 *  cache joins a few at a turn (a big answer's join held the event loop; in-turns.ts). */
export type CacheInput = Omit<CachedResponse, 'body'> & { body: Buffer | readonly Buffer[] };

/** Everything but the body, as it is written to disk. */
export const CachedMetaSchema = z.object({
  status: z.number().int().min(100).max(399),
  headers: z.record(z.string(), z.string()),
  streamed: z.boolean(),
  usage: UsageSchema,
  costUsd: z.number().nonnegative().nullable(),
  model: z.string(),
  storedAt: z.number().int().nonnegative(),
});
