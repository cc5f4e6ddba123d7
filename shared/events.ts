// Live events the core publishes (SSE at /api/events, and in-process to the desktop shell).
import { z } from 'zod';
import { LedgerRecordSchema } from './ledger.js';
import { OverviewSchema } from './overview.js';
import { PlanWindowNameSchema, PlanWindowSchema } from './plans.js';

export const RequestStartEventSchema = z.object({
  type: z.literal('request.start'),
  id: z.string(),
  time: z.string(),
  tool: z.string(),
  provider: z.string(),
  model: z.string(),
  endpoint: z.string(),
  streamed: z.boolean(),
});

export const RequestEndEventSchema = z.object({
  type: z.literal('request.end'),
  record: LedgerRecordSchema,
});

export const BudgetScopeSchema = z.object({
  /** Tool name, or null for the global (all tools) budget. */
  tool: z.string().nullable(),
  period: z.enum(['day', 'month']),
});

export const BudgetAlertEventSchema = z.object({
  type: z.literal('alert.budget'),
  scope: BudgetScopeSchema,
  /** 50, 80 or 100. */
  threshold: z.number().int(),
  spentUsd: z.number(),
  limitUsd: z.number(),
  /** The period key it fired in (`2026-11-25` or `2026-11`): once per threshold per period. */
  periodKey: z.string(),
  time: z.string(),
});

export const ToolBlockedEventSchema = z.object({
  type: z.literal('alert.blocked'),
  tool: z.string(),
  reason: z.enum(['budget', 'rate_limit', 'paused', 'forbidden_model', 'plan_limit']),
  message: z.string(),
  time: z.string(),
});

/** Today's spend per tool and per model: the 30-day chart's newest column, pushed. */
export const DaySpendSchema = z.object({
  /** Local day (`YYYY-MM-DD`, settings.timeZone). */
  day: z.string(),
  byTool: z.record(z.string(), z.number()),
  byModel: z.record(z.string(), z.number()),
});
export type DaySpend = z.infer<typeof DaySpendSchema>;

/** Spend or config changed: sent at most a few times a second however many requests end (coalesced),
 *  carrying absolute values, not increments, so a client that missed one is right again at the next.
 *  With `overview` and `todaySpend` a dashboard updates without refetching anything. */
export const SpendEventSchema = z.object({
  type: z.literal('spend'),
  todayUsd: z.number(),
  monthUsd: z.number(),
  /** The whole GET /api/overview answer as of this tick. */
  overview: OverviewSchema.optional(),
  todaySpend: DaySpendSchema.optional(),
});
export type SpendEvent = z.infer<typeof SpendEventSchema>;

/** Config changed (tools, providers, settings, prices): clients refetch what they show. */
export const ConfigEventSchema = z.object({
  type: z.literal('config'),
  what: z.enum(['tools', 'providers', 'keys', 'settings', 'prices', 'routes', 'cache']),
});

/** A plan answer brought new utilization: every window known now. */
export const PlanEventSchema = z.object({
  type: z.literal('plan'),
  windows: z.array(PlanWindowSchema),
});

/** A plan window crossed an alert threshold (settings.planAlertPercents). */
export const PlanAlertEventSchema = z.object({
  type: z.literal('alert.plan'),
  provider: z.string(),
  window: PlanWindowNameSchema,
  threshold: z.number(),
  usedPercent: z.number(),
  resetsAt: z.string().nullable(),
  time: z.string(),
});

export const ShimmyEventSchema = z.discriminatedUnion('type', [
  PlanEventSchema,
  PlanAlertEventSchema,
  RequestStartEventSchema,
  RequestEndEventSchema,
  BudgetAlertEventSchema,
  ToolBlockedEventSchema,
  SpendEventSchema,
  ConfigEventSchema,
]);
export type ShimmyEvent = z.infer<typeof ShimmyEventSchema>;
export type BudgetAlertEvent = z.infer<typeof BudgetAlertEventSchema>;
export type ToolBlockedEvent = z.infer<typeof ToolBlockedEventSchema>;
export type PlanAlertEvent = z.infer<typeof PlanAlertEventSchema>;
