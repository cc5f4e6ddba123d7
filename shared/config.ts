// The persisted configuration (config.json in the data dir, written atomically by lowdb).
// Secrets never live here: provider keys are in the OS keychain, tool tokens only as hashes.
import { z } from 'zod';
import { ApiFamilySchema } from './usage.js';
import { PriceSchema } from './prices.js';

export const NAME_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const NameSchema = z
  .string()
  .regex(NAME_RE, 'use 1-64 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit');

export const ToolLimitsSchema = z.object({
  dailyUsd: z.number().positive().optional(),
  monthlyUsd: z.number().positive().optional(),
  rpm: z.number().int().positive().optional(),
  tpm: z.number().int().positive().optional(),
  /** Glob patterns (picomatch) of allowed model names; absent = all models. */
  models: z.array(z.string().min(1)).optional(),
  /** With a USD budget, requests to a model with no known price are refused (their cost could
   *  not be counted); true lets them through, and the tool's spend then shows as incomplete. */
  allowUnpriced: z.boolean().optional(),
});
export type ToolLimits = z.infer<typeof ToolLimitsSchema>;

export const ToolTokenSchema = z.object({
  id: z.string(),
  /** sha256 hex of the token; the token itself is shown once and never stored. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** `shm_abcd…wxyz` so people can tell tokens apart. */
  hint: z.string(),
  createdAt: z.string(),
  /** Tokens minted by `exec`/`env` expire; the tool's main token does not. */
  expiresAt: z.string().optional(),
  label: z.string().optional(),
});
export type ToolToken = z.infer<typeof ToolTokenSchema>;

export const ToolSchema = z.object({
  name: NameSchema,
  createdAt: z.string(),
  paused: z.boolean(),
  limits: ToolLimitsSchema,
  tokens: z.array(ToolTokenSchema),
  /** Response cache switched on for this tool (issue 7); undefined = follow the global setting. */
  cache: z.boolean().optional(),
  /** Replaces the model every request of this tool names (aliases and routes then apply to it). */
  modelOverride: z.string().min(1).optional(),
});
export type Tool = z.infer<typeof ToolSchema>;

export const ProviderSchema = z.object({
  name: NameSchema,
  kind: ApiFamilySchema,
  baseUrl: z.url({ protocol: /^https?$/ }),
  /** The default provider of its API family (one per family). */
  isDefault: z.boolean().optional(),
  builtin: z.boolean().optional(),
  /** Where a request goes when every key of this provider failed before the first byte:
   *  `provider` (same model) or `provider/model`. Followed as a chain, bounded. */
  fallback: z.string().min(1).optional(),
});
export type Provider = z.infer<typeof ProviderSchema>;

/** A model alias or routing rule: requests whose model matches `pattern` (a glob) go to `provider`,
 *  with `model` as the upstream model name (or the requested name when absent). */
export const RouteRuleSchema = z.object({
  pattern: z.string().min(1),
  provider: NameSchema,
  model: z.string().min(1).optional(),
});
export type RouteRule = z.infer<typeof RouteRuleSchema>;

export const SettingsSchema = z.object({
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes: z.number().int().positive(),
  /** Upstream: time to response headers and max idle gap between body chunks. */
  upstreamTimeoutMs: z.number().int().positive(),
  /** On quit or SIGTERM, how long requests in flight may run on before they are cut. */
  shutdownGraceMs: z.number().int().nonnegative(),
  logBodies: z.boolean(),
  retentionDays: z.number().int().positive(),
  /** IANA time zone that defines "today" and "this month"; empty = the system's. */
  timeZone: z.string(),
  globalDailyUsd: z.number().positive().optional(),
  globalMonthlyUsd: z.number().positive().optional(),
  alertWebhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  priceListUrl: z.url({ protocol: /^https?$/ }).optional(),
  cacheEnabled: z.boolean(),
  /** How long a cached answer may be replayed. */
  cacheTtlMs: z.number().int().positive(),
  /** Which requests may be answered from the cache: `deterministic` (temperature 0 or a seed, and
   *  embeddings) or `always` (every chat/completions/responses/messages/embeddings request). */
  cachePolicy: z.enum(['deterministic', 'always']),
  /** Every proxied request is refused (tray: pause all). */
  paused: z.boolean(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  bodyLimitBytes: 32 * 1024 * 1024,
  upstreamTimeoutMs: 600_000,
  shutdownGraceMs: 30_000,
  logBodies: false,
  retentionDays: 30,
  timeZone: '',
  cacheEnabled: false,
  cacheTtlMs: 24 * 3600_000,
  cachePolicy: 'deterministic',
  paused: false,
};

export const ConfigSchema = z.object({
  version: z.literal(1),
  providers: z.array(ProviderSchema),
  tools: z.array(ToolSchema),
  /** Aliases and routing rules, first match wins. */
  routes: z.array(RouteRuleSchema),
  settings: SettingsSchema,
  /** User price overrides, by model name; they win over built-in and refreshed prices. */
  prices: z.record(z.string(), PriceSchema),
});
export type Config = z.infer<typeof ConfigSchema>;
