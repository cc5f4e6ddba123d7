// Stage 3b, billable: a tool with a USD budget may only reach endpoints whose answer Shimmy can
// price (or free ones); any other would spend without limit. A tool opts out of this with its
// `allowUnmetered` limit; without a budget such requests pass and are recorded as unpriced.
import type { Config, Tool } from '../../../../shared/config.js';
import { billingOf, type Billing } from '../../route/billable-endpoints.js';
import { Refused } from '../refused.js';
import type { RecordDraft } from '../request-record.js';

export function checkBillable(
  config: Config,
  tool: Tool,
  method: string,
  draft: RecordDraft,
  fields: unknown,
): Billing {
  const billing = billingOf(method, draft.path, draft.endpoint, fields);
  if (billing.kind !== 'unpriced' || tool.limits.allowUnmetered) return billing;
  const s = config.settings;
  const budgets = [tool.limits.dailyUsd, tool.limits.monthlyUsd, s.globalDailyUsd, s.globalMonthlyUsd];
  if (budgets.every((v) => v === undefined)) return billing;
  throw new Refused(
    'unpriced_endpoint',
    `Tool "${tool.name}" has a USD budget, and Shimmy cannot price ${method} ${draft.path} (${billing.what}): ` +
      `it is refused so the budget holds. To let it through unpriced: shimmy tool limits ${tool.name} --allow-unmetered (with the tool's other limits).`,
    'budget',
    { 'x-should-retry': 'false' },
  );
}
