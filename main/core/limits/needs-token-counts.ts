// Whether this configuration will tokenize requests: only a USD budget or a TPM limit needs an
// input count (proxy/stages/admit.ts). Start-up loads the tokenizer in the background only then:
// its encodings weigh ~40 MB that an instance without limits never uses.
import type { Config } from '../../../shared/config.js';

export function needsTokenCounts(config: Config): boolean {
  const s = config.settings;
  if (s.globalDailyUsd !== undefined || s.globalMonthlyUsd !== undefined) return true;
  return config.tools.some(
    (t) => t.limits.dailyUsd !== undefined || t.limits.monthlyUsd !== undefined || t.limits.tpm !== undefined,
  );
}
