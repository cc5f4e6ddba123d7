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
  /** With a USD budget, requests Shimmy cannot price are refused (their cost could not be
   *  counted): a model with no known price, and billable endpoints whose answer it cannot price
   *  (batches, fine-tuning, background Responses …). True lets them through, recorded unpriced,
   *  and the tool's spend then shows as incomplete. */
  allowUnpriced: z.boolean().optional(),
  /** Plan tools: refuse requests once the plan's 5-hour window is this full (percent), so an
   *  unattended agent does not burn the rest of it. */
  planMaxPercent5h: z.number().min(1).max(100).optional(),
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
  /** The tool logs in with its own subscription plan (Claude Pro/Max, ChatGPT Plus/Pro): it is
   *  identified by `x-shimmy-token`, and its own `Authorization` goes, unchanged, only to the
   *  plan's official host (settings.planHosts). */
  plan: z.boolean().optional(),
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
  /** The price catalog provider (genai-prices id, e.g. `deepseek`) whose prices apply; absent =
   *  found from the base URL, else the API family's first party. */
  priceProvider: z.string().min(1).max(64).optional(),
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

/** The official host plan traffic of each family goes to — never another. Settable so tests can
 *  stand a loopback server in for it. */
export const PlanHostsSchema = z.object({
  anthropic: z.url({ protocol: /^https?$/ }),
  openai: z.url({ protocol: /^https?$/ }),
});
export const DEFAULT_PLAN_HOSTS = {
  anthropic: 'https://api.anthropic.com',
  // Codex signed in with ChatGPT talks to the ChatGPT backend, not api.openai.com.
  openai: 'https://chatgpt.com/backend-api/codex',
};

export const SettingsSchema = z.object({
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes: z.number().int().positive(),
  /** Upstream: time to response headers and max idle gap between body chunks. */
  upstreamTimeoutMs: z.number().int().positive(),
  /** Most open connections to one provider origin (default 1,024): requests past it wait for a free
   *  one. Read when the core starts. */
  upstreamConnections: z.number().int().min(1).max(65_536).optional(),
  /** On quit or SIGTERM, how long requests in flight may run on before they are cut. */
  shutdownGraceMs: z.number().int().nonnegative(),
  logBodies: z.boolean(),
  retentionDays: z.number().int().positive(),
  /** IANA time zone that defines "today" and "this month"; empty = the system's. */
  timeZone: z.string(),
  globalDailyUsd: z.number().positive().optional(),
  globalMonthlyUsd: z.number().positive().optional(),
  alertWebhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Where the price catalog is refreshed from; absent = @pydantic/genai-prices' own update URL. */
  priceListUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Refresh the price catalog in the background (on start and every 6 h); absent = on. */
  priceRefresh: z.boolean().optional(),
  cacheEnabled: z.boolean(),
  /** How long a cached answer may be replayed. */
  cacheTtlMs: z.number().int().positive(),
  /** Which requests may be answered from the cache: `deterministic` (temperature 0 or a seed, and
   *  embeddings) or `always` (every chat/completions/responses/messages/embeddings request). */
  cachePolicy: z.enum(['deterministic', 'always']),
  planHosts: PlanHostsSchema.optional(),
  /** Alert when a plan window passes these percentages (default 80 and 95). */
  planAlertPercents: z.array(z.number().min(1).max(100)).optional(),
  /** What each plan costs a month, for the plan-vs-API view: `{ anthropic: 100, openai: 20 }`. */
  planMonthlyUsd: z.record(z.string(), z.number().nonnegative()).optional(),
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
