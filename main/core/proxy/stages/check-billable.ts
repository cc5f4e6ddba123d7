// Stage 3b, billable: a tool with a USD budget may only reach endpoints whose answer Shimmy can
// price (or free ones); any other would spend without limit. A tool opts out with its
// `allowUnpriced` limit (the same one that lets unpriced models through); without a budget such
// requests pass and are recorded as unpriced.
import type { Config, Tool } from '../../../../shared/config.js';
import { hasUsdBudget } from '../../limits/index.js';
import { billingOf, type Billing } from '../../route/billable-endpoints.js';
import type { PathClass } from '../../route/classify-path.js';
import { Refused } from '../refused.js';

export function checkBillable(
  config: Config,
  tool: Tool,
  method: string,
  cls: PathClass,
  fields: unknown,
): Billing {
  const billing = billingOf(method, cls.upstreamPath, cls.endpoint, fields);
  if (billing.kind !== 'unpriced' || tool.limits.allowUnpriced) return billing;
  if (!hasUsdBudget(tool, config.settings)) return billing;
  throw new Refused(
    'unpriced_endpoint',
    `Tool "${tool.name}" has a USD budget, and Shimmy cannot price ${method} ${cls.upstreamPath} (${billing.what}): ` +
      `it is refused so the budget holds. To let it through unpriced: shimmy tool limits ${tool.name} --allow-unpriced (with the tool's other limits).`,
    'budget',
    { 'x-should-retry': 'false' },
  );
}
