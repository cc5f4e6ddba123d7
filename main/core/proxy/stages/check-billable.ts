// Stage 3b, billable: a tool with a USD budget, a model allowlist or a TPM limit may only reach
// endpoints whose answer Shimmy can meter (or free ones); any other would spend, and use tokens,
// without limit, on any model. A tool opts out with its `allowUnpriced` limit (the same one that
// lets unpriced models through); without such a limit those requests pass and are recorded as
// unpriced. (A TPM-only tool was let through: ten background responses of 1,008 tokens each
// reached the provider in one minute on a 2,500 TPM, each settling at 0 tokens, and a batch of up
// to 50,000 requests on a 10,000 TPM: test/integration/tpm-unmetered-endpoints.test.ts.)
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
  const tpm = tool.limits.tpm !== undefined;
  if (!allowlist && !budget && !tpm) return billing;
  const [has, limit] = budget
    ? ['a USD budget', 'budget']
    : allowlist
      ? ['a model allowlist', 'allowlist']
      : ['a TPM limit', 'TPM limit'];
  throw new Refused(
    'unpriced_endpoint',
    `Tool "${tool.name}" has ${has}, and Shimmy cannot meter ${method} ${cls.upstreamPath} (${billing.what}): ` +
      `it is refused so the ${limit} holds. To let it through unpriced: shimmy tool limits ${tool.name} --allow-unpriced (with the tool's other limits).`,
    budget ? 'budget' : allowlist ? 'forbidden_model' : 'rate_limit',
    { 'x-should-retry': 'false' },
  );
}
