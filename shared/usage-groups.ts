// What usage can be grouped by, without zod: `shimmy usage --by` checks it before any schema loads
// (issue 16). shared/ledger.ts builds UsageGroupSchema on this list.
export const USAGE_GROUPS = ['tool', 'model', 'day', 'user', 'project', 'client', 'session'] as const;
export type UsageGroupName = (typeof USAGE_GROUPS)[number];

export const isUsageGroup = (value: string): value is UsageGroupName =>
  (USAGE_GROUPS as readonly string[]).includes(value);
