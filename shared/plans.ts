// Subscription-plan limits (Claude Pro/Max, ChatGPT Plus/Pro) as the providers' answers to plan
// traffic report them. The headers are undocumented: every field may be missing, and a window
// Shimmy has not seen is simply absent — "unknown", never an error.
import { z } from 'zod';

export const PlanWindowNameSchema = z.enum(['5h', '7d']);
export type PlanWindowName = z.infer<typeof PlanWindowNameSchema>;

/** One row of `shimmy plan --json`. */
export const PlanWindowSchema = z.object({
  /** The provider whose plan it is: `anthropic` (Claude plans) or `openai` (ChatGPT plans). */
  provider: z.string(),
  window: PlanWindowNameSchema,
  /** 0–100. */
  usedPercent: z.number().min(0),
  /** ISO-8601 time the window resets, when the answer said. */
  resetsAt: z.string().nullable(),
  /** The provider's own word on the plan (`allowed`, `allowed_warning`, `rejected`), if any. */
  status: z.string().optional(),
  /** When Shimmy last read it. */
  seenAt: z.string(),
});
export type PlanWindow = z.infer<typeof PlanWindowSchema>;
