// The dashboard's overview (GET /api/overview, and pushed in every `spend` event): spend today and
// this month, and how close each tool is to its limits.
import { z } from 'zod';

export const BudgetUseSchema = z.object({ limitUsd: z.number(), spentUsd: z.number() });
export type BudgetUse = z.infer<typeof BudgetUseSchema>;

/** Rate-limit use over the current sliding minute. */
export const RateUseSchema = z.object({ limit: z.number(), used: z.number() });
export type RateUse = z.infer<typeof RateUseSchema>;

export const ToolOverviewSchema = z.object({
  name: z.string(),
  paused: z.boolean(),
  todayUsd: z.number(),
  monthUsd: z.number(),
  /** null = no such limit on this tool. */
  day: BudgetUseSchema.nullable(),
  month: BudgetUseSchema.nullable(),
  rpm: RateUseSchema.nullable(),
  tpm: RateUseSchema.nullable(),
  requestsLastMinute: z.number().int(),
  /** Requests today / this month to unpriced models (a tool with `allowUnpriced`): its spend is
   *  then incomplete, not a total. Absent = 0. */
  unpricedToday: z.number().int().optional(),
  unpricedMonth: z.number().int().optional(),
});
export type ToolOverview = z.infer<typeof ToolOverviewSchema>;

export const OverviewSchema = z.object({
  /** Server time (ISO) and the resolved IANA zone that defines today/month. */
  now: z.string(),
  timeZone: z.string(),
  /** `YYYY-MM-DD` and `YYYY-MM` in that zone. */
  today: z.string(),
  month: z.string(),
  todayUsd: z.number(),
  monthUsd: z.number(),
  /** Requests today whose cost is unknown (unpriced model): not in todayUsd, never silently $0. */
  unpricedToday: z.number().int(),
  tools: z.array(ToolOverviewSchema),
  global: z.object({ day: BudgetUseSchema.nullable(), month: BudgetUseSchema.nullable() }),
  requestsLastMinute: z.number().int(),
  /** The whole proxy is paused. */
  paused: z.boolean(),
});
export type Overview = z.infer<typeof OverviewSchema>;
