// One record per proxied request, and the roll-up rows built from them.
import { z } from 'zod';
import { USAGE_GROUPS } from './usage-groups.js';
import { ApiFamilySchema, EndpointSchema, UsageSchema } from './usage.js';

export const ErrorClassSchema = z.enum([
  'auth', // bad/missing tool token, paused tool
  'forbidden_model',
  'bad_request', // malformed JSON, body too large
  'budget', // refused or cut off by a USD budget
  'rate_limit', // refused by rpm/tpm
  'no_key', // provider has no key
  'upstream_error', // upstream answered with >= 400
  'upstream_unreachable', // connect error / timeout
  'client_abort', // client went away before the end
  'upstream_cut', // upstream ended a stream early
  'interrupted', // Shimmy stopped (crash, kill -9) before recording it: cost is the reserved worst case
  'ledger_unavailable', // refused: the ledger cannot be written (disk full), so it would go unrecorded
  'limits_unavailable', // refused: the shared budgets and rate limits (Redis) cannot be reached
  'internal_error', // Shimmy itself failed on the request (a bug or a failing store): answered 500
]);
export type ErrorClass = z.infer<typeof ErrorClassSchema>;

export const LedgerRecordSchema = z.object({
  id: z.string(),
  /** ISO-8601 UTC time the request arrived. */
  time: z.string(),
  tool: z.string(),
  provider: z.string(),
  model: z.string(),
  family: ApiFamilySchema,
  endpoint: EndpointSchema,
  path: z.string(),
  status: z.number().int(),
  latencyMs: z.number().nonnegative(),
  ttfbMs: z.number().nonnegative().nullable(),
  streamed: z.boolean(),
  usage: UsageSchema,
  /** null = unpriced (unknown model): never silently $0. */
  costUsd: z.number().nonnegative().nullable(),
  /** The cost is an estimate: the answer was not read in full (a stream cut before its final usage,
   *  a client gone, a timeout), or, under a USD budget, its price has no rate for part of it
   *  (charged what its reservation held). */
  estimated: z.boolean(),
  cacheHit: z.boolean(),
  /** What a cache hit would have cost upstream. */
  savedUsd: z.number().nonnegative().optional(),
  errorClass: ErrorClassSchema.nullable(),
  /** End user named by the request (OpenAI user/safety_identifier, Anthropic metadata.user_id). */
  user: z.string().optional(),
  /** x-shimmy-project header. */
  project: z.string().optional(),
  /** Which key of the provider's pool served the request (issue 7). */
  keyLabel: z.string().optional(),
  /** Plan traffic (the tool's own subscription login): costUsd is 0 and what the request would
   *  have cost on the API is in apiEquivalentUsd; it never counts against USD budgets. */
  plan: z.boolean().optional(),
  apiEquivalentUsd: z.number().nonnegative().nullable().optional(),
  /** Providers tried before the one that served (issue 7). */
  failovers: z.array(z.string()).optional(),
  /** The client program, `name/version` from its User-Agent (e.g. `claude-cli/2.1.197`). */
  client: z.string().optional(),
  /** The agent session it belongs to (x-claude-code-session-id, Codex session-id, x-session-id, x-shimmy-session). */
  session: z.string().optional(),
});
export type LedgerRecord = z.infer<typeof LedgerRecordSchema>;

export const UsageGroupSchema = z.enum(USAGE_GROUPS);
export type UsageGroup = z.infer<typeof UsageGroupSchema>;

/** A row of `shimmy usage --json` and of the admin usage route. */
export const UsageRowSchema = z.object({
  tool: z.string().optional(),
  model: z.string().optional(),
  day: z.string().optional(),
  user: z.string().optional(),
  project: z.string().optional(),
  client: z.string().optional(),
  session: z.string().optional(),
  requests: z.number().int(),
  inputTokens: z.number().int(),
  cachedInputTokens: z.number().int(),
  cacheWriteTokens: z.number().int(),
  outputTokens: z.number().int(),
  reasoningTokens: z.number().int(),
  costUsd: z.number(),
  /** Requests whose cost is unknown (not in costUsd). */
  unpriced: z.number().int(),
  savedUsd: z.number().optional(),
  /** Part of cacheWriteTokens written with a 1-hour TTL (Anthropic). */
  cacheWrite1hTokens: z.number().int().optional(),
  /** Server-side web searches billed per call. */
  webSearchRequests: z.number().int().optional(),
});
export type UsageRow = z.infer<typeof UsageRowSchema>;
