// Stage 3b, billable: a tool with a USD budget or a model allowlist may only reach endpoints whose
// answer Shimmy can price (or free ones); any other would spend without limit, on any model. A tool opts out with its
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
  // A model allowlist cannot be kept either where Shimmy does not meter the call: a batch names its
  // models in a file, a fine-tuning job or an assistant run in fields it does not read.
  const allowlist = (tool.limits.models?.length ?? 0) > 0;
  const budget = hasUsdBudget(tool, config.settings);
  if (!allowlist && !budget) return billing;
  throw new Refused(
    'unpriced_endpoint',
    `Tool "${tool.name}" has ${budget ? 'a USD budget' : 'a model allowlist'}, and Shimmy cannot meter ${method} ${cls.upstreamPath} (${billing.what}): ` +
      `it is refused so the ${budget ? 'budget' : 'allowlist'} holds. To let it through unpriced: shimmy tool limits ${tool.name} --allow-unpriced (with the tool's other limits).`,
    budget ? 'budget' : 'forbidden_model',
    { 'x-should-retry': 'false' },
  );
}
