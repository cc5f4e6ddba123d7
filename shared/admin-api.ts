// The admin API contract: one route table (method, path, query, body, response schemas) that the
// server validates with and the dashboard's client is typed from. Secrets never appear here:
// tool tokens only as hints, provider keys only masked.
import { z } from 'zod';
import {
  NameSchema,
  ProviderSchema,
  RouteRuleSchema,
  SettingsSchema,
  ToolLimitsSchema,
  ToolTokenSchema,
} from './config.js';
import { LedgerRecordSchema, UsageGroupSchema, UsageRowSchema } from './ledger.js';
import { ShimmyEventSchema } from './events.js';
import { OverviewSchema } from './overview.js';
import { PriceSchema, PriceSourceSchema } from './prices.js';
import { PlanWindowSchema } from './plans.js';
import {
  AgentViewSchema,
  ConnectAgentSchema,
  ConnectResultSchema,
  DisconnectResultSchema,
} from './agents.js';

// ---------- errors ----------

/** Every non-2xx admin response (400/401/403/404/409). `field` names the offending input, if any. */
export const ApiErrorSchema = z.object({
  error: z.object({ message: z.string(), field: z.string().optional() }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** Response of routes that only confirm (deletes). */
export const OkSchema = z.object({ ok: z.literal(true) });

// ---------- info & overview ----------

export const InfoSchema = z.object({
  version: z.string(),
  /** `http://127.0.0.1:PORT`: the base for `/v1` (OpenAI) and `/` (Anthropic) in setup snippets. */
  url: z.string(),
  /** Set by `--port`; read-only in the dashboard. */
  port: z.number().int(),
});
export type Info = z.infer<typeof InfoSchema>;

// The overview's schemas live in overview.ts: the spend event carries an overview too, and the
// events module cannot import this file (it imports the events).
export {
  BudgetUseSchema,
  OverviewSchema,
  RateUseSchema,
  ToolOverviewSchema,
  type BudgetUse,
  type Overview,
  type RateUse,
  type ToolOverview,
} from './overview.js';

export const SpendByEnum = z.enum(['tool', 'model']);
export type SpendBy = z.infer<typeof SpendByEnum>;

export const DailySpendQuerySchema = z.object({
  days: z.coerce.number<number | string>().int().min(1).max(366).optional(), // default 30
  by: SpendByEnum.optional(), // default 'tool'
});
export const DailySpendRowSchema = z.object({ day: z.string(), key: z.string(), costUsd: z.number() });
export type DailySpendRow = z.infer<typeof DailySpendRowSchema>;
export const DailySpendSchema = z.object({
  /** Every day of the window, oldest first (`YYYY-MM-DD`, local), so gaps show as empty days. */
  days: z.array(z.string()),
  /** Only non-zero (day, key) pairs. */
  rows: z.array(DailySpendRowSchema),
});
export type DailySpend = z.infer<typeof DailySpendSchema>;

// ---------- tools ----------

export const TokenViewSchema = ToolTokenSchema.omit({ hash: true });
export type TokenView = z.infer<typeof TokenViewSchema>;

export const ToolViewSchema = z.object({
  name: z.string(),
  createdAt: z.string(),
  paused: z.boolean(),
  limits: ToolLimitsSchema,
  /** undefined = follows the global cache setting. */
  cache: z.boolean().optional(),
  /** Replaces the model every request of this tool names. */
  modelOverride: z.string().optional(),
  /** Uses its own subscription plan login (x-shimmy-token + its own Authorization). */
  plan: z.boolean().optional(),
  tokens: z.array(TokenViewSchema),
  /** Tokens not expired. */
  activeTokens: z.number().int(),
});
export type ToolView = z.infer<typeof ToolViewSchema>;

export const CreateToolSchema = z.object({
  name: NameSchema,
  limits: ToolLimitsSchema,
  cache: z.boolean().optional(),
  modelOverride: z.string().min(1).optional(),
  plan: z.boolean().optional(),
});
export type CreateTool = z.infer<typeof CreateToolSchema>;

/** The token appears in this response only, never again. */
export const CreatedToolSchema = z.object({ tool: ToolViewSchema, token: z.string() });
export type CreatedTool = z.infer<typeof CreatedToolSchema>;

export const PatchToolSchema = z.object({
  /** Replaces the whole limits object (send every limit you want to keep). */
  limits: ToolLimitsSchema.optional(),
  paused: z.boolean().optional(),
  /** null = follow the global cache setting again. */
  cache: z.boolean().nullable().optional(),
  /** null = stop overriding. */
  modelOverride: z.string().min(1).nullable().optional(),
  plan: z.boolean().optional(),
});
export type PatchTool = z.infer<typeof PatchToolSchema>;

/** Extra tokens for `shimmy exec` / `shimmy env`: they expire, and exec revokes its own on exit. */
export const MintTokenSchema = z.object({
  ttlSeconds: z
    .number()
    .int()
    .positive()
    .max(366 * 24 * 3600),
  label: z.string().max(64).optional(),
});
export const MintedTokenSchema = z.object({ id: z.string(), token: z.string(), expiresAt: z.string() });
export type MintedToken = z.infer<typeof MintedTokenSchema>;

/** Rotate revokes every token of the tool and mints one new main token. */
export const RotatedTokenSchema = z.object({ token: z.string() });

// ---------- providers & keys ----------

export const ProviderViewSchema = ProviderSchema.extend({
  /** At least one key is available (keychain or env) for the current base URL. */
  hasKey: z.boolean(),
  /** A key is stored, but for another base URL (the provider was repointed): give it again. */
  keyNeedsReentry: z.boolean(),
});
export type ProviderView = z.infer<typeof ProviderViewSchema>;

export const AddProviderSchema = ProviderSchema.pick({
  name: true,
  kind: true,
  baseUrl: true,
  isDefault: true,
  fallback: true,
  priceProvider: true,
});
export type AddProvider = z.infer<typeof AddProviderSchema>;

/** `fallback: null` removes the fallback. */
export const PatchProviderSchema = ProviderSchema.pick({ baseUrl: true, isDefault: true })
  .extend({ fallback: z.string().min(1).nullable(), priceProvider: z.string().min(1).max(64).nullable() })
  .partial();
export type PatchProvider = z.infer<typeof PatchProviderSchema>;

export const KeySourceSchema = z.enum(['keychain', 'env']);
export const KeyViewSchema = z.object({
  provider: z.string(),
  /** `default` when none was given. */
  label: z.string(),
  /** `sk-…abcd`: never more than the last 4 characters. */
  masked: z.string(),
  source: KeySourceSchema,
  /** The only base URL the key is ever sent to; null = not bound (its provider did not exist at start). */
  boundTo: z.string().nullable(),
  /** Bound to the provider's current base URL. false: the provider was repointed; give the key again. */
  usable: z.boolean(),
});
export type KeyView = z.infer<typeof KeyViewSchema>;

export const PutKeySchema = z.object({
  provider: NameSchema,
  key: z.string().min(1),
  label: NameSchema.optional(),
  /** Store a key whose shape is unusual for the provider's host (never one with line breaks,
   *  spaces or a mask in it). */
  force: z.boolean().optional(),
});
export type PutKey = z.infer<typeof PutKeySchema>;

// ---------- prices ----------

export const PriceViewSchema = z.object({
  model: z.string(),
  /** Base prices in USD per 1M tokens (a model billed only by other units shows 0 here). */
  price: PriceSchema,
  source: PriceSourceSchema,
  /** The catalog provider (genai-prices id) whose price this is; user prices: none. */
  provider: z.string().optional(),
  /** Some token price rises past a long-context threshold (the whole request then pays it). */
  tiered: z.boolean().optional(),
  /** Other units, in the catalog's own names: `web_searches_kcount` (USD per 1,000 searches),
   *  `audio_hours`, `input_audio_mtok`, `output_audio_mtok`, … */
  units: z.record(z.string(), z.number()).optional(),
});
export type PriceView = z.infer<typeof PriceViewSchema>;

export const RefreshPricesSchema = z.object({
  /** Defaults to settings.priceListUrl, then the catalog's own update URL. */
  url: z.url({ protocol: /^https?$/ }).optional(),
});
export const PriceRefreshResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), url: z.string(), models: z.number().int(), fetchedAt: z.string() }),
  z.object({ ok: z.literal(false), url: z.string(), message: z.string() }),
]);
export type PriceRefreshResult = z.infer<typeof PriceRefreshResultSchema>;

/** Where the prices in use come from, and the models seen in traffic that have none. */
export const PriceStatusSchema = z.object({
  catalog: z.object({
    /** `bundled`: shipped with this version; `refreshed`: fetched from `url` at `fetchedAt`. */
    source: z.enum(['bundled', 'refreshed']),
    /** The catalog library and its version (bundled data is as new as the package). */
    library: z.string(),
    url: z.string().optional(),
    fetchedAt: z.string().optional(),
    lastModified: z.string().optional(),
    /** A damaged saved catalog and what is used instead. */
    problem: z.string().optional(),
    lastRefresh: z.object({ at: z.string(), ok: z.boolean(), error: z.string().optional() }).optional(),
    autoRefresh: z.boolean(),
    refreshUrl: z.string(),
  }),
  unpriced: z.array(
    z.object({
      model: z.string(),
      provider: z.string(),
      /** Unpriced requests in the last 30 days. */
      requests: z.number().int(),
      /** The command that prices it. */
      command: z.string(),
    }),
  ),
});
export type PriceStatus = z.infer<typeof PriceStatusSchema>;

// ---------- settings ----------

export const SettingsViewSchema = SettingsSchema.extend({
  /** The whole proxy is paused. */
  paused: z.boolean(),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

/** Only the fields sent change; `null` clears an optional setting. A field this table does not
 *  name is refused (400 naming it), never answered 200 and ignored. `shimmy settings set`
 *  validates with this same schema. */
export const PatchSettingsSchema = z
  .object({
    bodyLimitBytes: SettingsSchema.shape.bodyLimitBytes,
    upstreamTimeoutMs: SettingsSchema.shape.upstreamTimeoutMs,
    logBodies: z.boolean(),
    retentionDays: SettingsSchema.shape.retentionDays,
    timeZone: z.string(),
    globalDailyUsd: z.number().positive().nullable(),
    globalMonthlyUsd: z.number().positive().nullable(),
    alertWebhookUrl: z.url({ protocol: /^https?$/ }).nullable(),
    priceListUrl: z.url({ protocol: /^https?$/ }).nullable(),
    priceRefresh: z.boolean(),
    cacheEnabled: z.boolean(),
    cacheTtlMs: z.number().int().positive(),
    cachePolicy: z.enum(['deterministic', 'always']),
    paused: z.boolean(),
    planHosts: SettingsSchema.shape.planHosts.unwrap().nullable(),
    planAlertPercents: SettingsSchema.shape.planAlertPercents.unwrap().nullable(),
    planMonthlyUsd: SettingsSchema.shape.planMonthlyUsd.unwrap().nullable(),
    shutdownGraceMs: SettingsSchema.shape.shutdownGraceMs,
  })
  .partial()
  .strict();
export type PatchSettings = z.infer<typeof PatchSettingsSchema>;

// ---------- usage & request log ----------

const UsageGroupListSchema = z
  .string()
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(UsageGroupSchema));

export const UsageQuerySchema = z.object({
  /** ISO time or `YYYY-MM-DD` (local day start). */
  since: z.string().optional(),
  until: z.string().optional(),
  /** Comma list of UsageGroup, e.g. `tool,model`; empty = one total row. */
  by: UsageGroupListSchema.optional(),
});

export const RequestLogQuerySchema = z.object({
  tool: z.string().optional(),
  model: z.string().optional(),
  /** `ok` (< 400), `error` (>= 400) or an exact code such as `429`. */
  status: z
    .string()
    .regex(/^(ok|error|\d{3})$/)
    .optional(),
  since: z.string().optional(),
  until: z.string().optional(),
  /**
   * Case-insensitive substring match on tool, model, provider, path, user, project, error class
   * (also key label and client); a request or session id matches from its start.
   */
  text: z.string().optional(),
  limit: z.coerce.number<number | string>().int().min(1).max(500).optional(), // default 100
  /** Cursor from a previous page's nextBefore. */
  before: z.string().optional(),
});
export type RequestLogQuery = z.input<typeof RequestLogQuerySchema>;

/** Newest first. */
export const RequestLogPageSchema = z.object({
  records: z.array(LedgerRecordSchema),
  /** null = no older records. */
  nextBefore: z.string().nullable(),
});
export type RequestLogPage = z.infer<typeof RequestLogPageSchema>;

export const LoggedMessageSchema = z.object({
  headers: z.record(z.string(), z.string()),
  /** Present only when body logging was on; may be cut to the body limit. */
  body: z.string().optional(),
  truncated: z.boolean().optional(),
});
export const RequestDetailSchema = z.object({
  record: LedgerRecordSchema,
  request: LoggedMessageSchema.optional(),
  response: LoggedMessageSchema.optional(),
});
export type RequestDetail = z.infer<typeof RequestDetailSchema>;

// ---------- cache ----------

export const CacheStatsSchema = z.object({
  enabled: z.boolean(),
  entries: z.number().int(),
  bytes: z.number().int(),
  hits: z.number().int(),
  misses: z.number().int(),
  savedUsd: z.number(),
});
export type CacheStats = z.infer<typeof CacheStatsSchema>;
export const CacheClearedSchema = z.object({ cleared: z.number().int() });

// ---------- routing rules ----------

/** `target` is `provider` (keep the requested model) or `provider/model`. */
export const AddRouteSchema = z.object({ pattern: z.string().min(1), target: z.string().min(1) });
export type AddRoute = z.infer<typeof AddRouteSchema>;

// ---------- the route table ----------

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export interface RouteDef {
  method: HttpMethod;
  /** Express-style path, params as `:name`. */
  path: string;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
}

// ---------- plans ----------

/** Plan traffic of the last 7 days priced at API rates, beside what the plan costs. */
export const PlanUsageSchema = z.object({
  provider: z.string(),
  requests: z.number().int(),
  apiEquivalentUsd: z.number(),
  /** Requests whose API price is unknown (not in apiEquivalentUsd). */
  unpriced: z.number().int(),
  /** A week of the plan's monthly price (settings.planMonthlyUsd), when set. */
  planWeekUsd: z.number().nullable(),
});
export const PlansViewSchema = z.object({
  windows: z.array(PlanWindowSchema),
  week: z.array(PlanUsageSchema),
});
export type PlansView = z.infer<typeof PlansViewSchema>;

export const adminRoutes = {
  info: { method: 'GET', path: '/api/info', response: InfoSchema },
  overview: { method: 'GET', path: '/api/overview', response: OverviewSchema },
  plans: { method: 'GET', path: '/api/plans', response: PlansViewSchema },
  /** A fresh one-time dashboard login link (`shimmy dashboard`). */
  createLoginLink: { method: 'POST', path: '/api/login-links', response: z.object({ url: z.string() }) },
  dailySpend: {
    method: 'GET',
    path: '/api/spend/daily',
    query: DailySpendQuerySchema,
    response: DailySpendSchema,
  },

  listTools: { method: 'GET', path: '/api/tools', response: z.array(ToolViewSchema) },
  createTool: { method: 'POST', path: '/api/tools', body: CreateToolSchema, response: CreatedToolSchema },
  patchTool: { method: 'PATCH', path: '/api/tools/:name', body: PatchToolSchema, response: ToolViewSchema },
  rotateTool: { method: 'POST', path: '/api/tools/:name/rotate', response: RotatedTokenSchema },
  deleteTool: { method: 'DELETE', path: '/api/tools/:name', response: OkSchema },
  mintToken: {
    method: 'POST',
    path: '/api/tools/:name/tokens',
    body: MintTokenSchema,
    response: MintedTokenSchema,
  },
  revokeToken: { method: 'DELETE', path: '/api/tools/:name/tokens/:id', response: OkSchema },

  listProviders: { method: 'GET', path: '/api/providers', response: z.array(ProviderViewSchema) },
  addProvider: {
    method: 'POST',
    path: '/api/providers',
    body: AddProviderSchema,
    response: ProviderViewSchema,
  },
  patchProvider: {
    method: 'PATCH',
    path: '/api/providers/:name',
    body: PatchProviderSchema,
    response: ProviderViewSchema,
  },
  deleteProvider: { method: 'DELETE', path: '/api/providers/:name', response: OkSchema },

  listKeys: { method: 'GET', path: '/api/keys', response: z.array(KeyViewSchema) },
  putKey: { method: 'PUT', path: '/api/keys', body: PutKeySchema, response: KeyViewSchema },
  deleteKey: { method: 'DELETE', path: '/api/keys/:provider/:label', response: OkSchema },

  listPrices: { method: 'GET', path: '/api/prices', response: z.array(PriceViewSchema) },
  priceStatus: { method: 'GET', path: '/api/prices/status', response: PriceStatusSchema },
  putPrice: { method: 'PUT', path: '/api/prices/:model', body: PriceSchema, response: PriceViewSchema },
  deletePrice: { method: 'DELETE', path: '/api/prices/:model', response: OkSchema },
  refreshPrices: {
    method: 'POST',
    path: '/api/prices/refresh',
    body: RefreshPricesSchema,
    response: PriceRefreshResultSchema,
  },

  getSettings: { method: 'GET', path: '/api/settings', response: SettingsViewSchema },
  patchSettings: {
    method: 'PATCH',
    path: '/api/settings',
    body: PatchSettingsSchema,
    response: SettingsViewSchema,
  },

  usage: { method: 'GET', path: '/api/usage', query: UsageQuerySchema, response: z.array(UsageRowSchema) },
  listRequests: {
    method: 'GET',
    path: '/api/requests',
    query: RequestLogQuerySchema,
    response: RequestLogPageSchema,
  },
  getRequest: { method: 'GET', path: '/api/requests/:id', response: RequestDetailSchema },

  cacheStats: { method: 'GET', path: '/api/cache', response: CacheStatsSchema },
  clearCache: { method: 'DELETE', path: '/api/cache', response: CacheClearedSchema },

  listRoutes: { method: 'GET', path: '/api/routes', response: z.array(RouteRuleSchema) },
  addRoute: { method: 'POST', path: '/api/routes', body: AddRouteSchema, response: RouteRuleSchema },
  deleteRoute: { method: 'DELETE', path: '/api/routes/:pattern', response: OkSchema },

  /** Coding agents Shimmy can wire itself into: their files, snippets and whether they are connected. */
  listAgents: {
    method: 'GET',
    path: '/api/agents',
    query: z.object({ tool: z.string().optional() }),
    response: z.array(AgentViewSchema),
  },
  /** Writes the agent's own config (backup kept); `dryRun` only returns the diff. */
  connectAgent: {
    method: 'POST',
    path: '/api/agents/:agent/connect',
    body: ConnectAgentSchema,
    response: ConnectResultSchema,
  },
  disconnectAgent: {
    method: 'POST',
    path: '/api/agents/:agent/disconnect',
    response: DisconnectResultSchema,
  },
} as const satisfies Record<string, RouteDef>;

export type AdminRoutes = typeof adminRoutes;
export type AdminRouteName = keyof AdminRoutes;

/** Server-Sent Events: each `data:` line is one JSON ShimmyEvent. */
export const adminEvents = { path: '/api/events', event: ShimmyEventSchema } as const;

/** `{ name: string }` for `/api/tools/:name`. */
export type PathParams<P extends string> = P extends `${string}:${infer Param}/${infer Rest}`
  ? { [K in Param]: string } & PathParams<`/${Rest}`>
  : P extends `${string}:${infer Param}`
    ? { [K in Param]: string }
    : Record<never, never>;

export { fillPath } from './fill-path.js';
