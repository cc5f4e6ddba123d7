// The limits form's text fields <-> ToolLimits. Empty means "no limit"; junk is reported by field.
import type { ToolLimits } from '../../../shared/config.js';
import { parseOptionalNumber } from '../format/numbers.js';

export interface LimitFields {
  dailyUsd: string;
  monthlyUsd: string;
  rpm: string;
  tpm: string;
  models: string;
  /** Plan tools: refuse once the plan's 5-hour window is this full (percent). */
  planMaxPercent5h: string;
  /** Requests to unpriced models pass a USD budget (their spend is then incomplete). */
  allowUnpriced: boolean;
}

export const EMPTY_LIMIT_FIELDS: LimitFields = {
  dailyUsd: '',
  monthlyUsd: '',
  rpm: '',
  tpm: '',
  models: '',
  planMaxPercent5h: '',
  allowUnpriced: false,
};

export function fieldsFromLimits(l: ToolLimits): LimitFields {
  const s = (n: number | undefined) => (n === undefined ? '' : String(n));
  return {
    dailyUsd: s(l.dailyUsd),
    monthlyUsd: s(l.monthlyUsd),
    rpm: s(l.rpm),
    tpm: s(l.tpm),
    models: (l.models ?? []).join(', '),
    planMaxPercent5h: s(l.planMaxPercent5h),
    allowUnpriced: l.allowUnpriced === true,
  };
}

export type LimitsResult =
  { ok: true; limits: ToolLimits } | { ok: false; field: keyof LimitFields; message: string };

export function limitsFromFields(f: LimitFields): LimitsResult {
  const limits: ToolLimits = {};
  const money = [
    ['dailyUsd', 'Daily budget'],
    ['monthlyUsd', 'Monthly budget'],
  ] as const;
  for (const [key, label] of money) {
    const n = parseOptionalNumber(f[key]);
    if (n === undefined) continue;
    if (!Number.isFinite(n) || n <= 0)
      return { ok: false, field: key, message: `${label} must be a positive amount in USD` };
    limits[key] = n;
  }
  const rates = [
    ['rpm', 'Requests per minute'],
    ['tpm', 'Tokens per minute'],
  ] as const;
  for (const [key, label] of rates) {
    const n = parseOptionalNumber(f[key]);
    if (n === undefined) continue;
    if (!Number.isInteger(n) || n <= 0)
      return { ok: false, field: key, message: `${label} must be a whole number above 0` };
    limits[key] = n;
  }
  const models = f.models
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  if (models.length > 0) limits.models = models;
  const stopAt = parseOptionalNumber(f.planMaxPercent5h);
  if (stopAt !== undefined) {
    if (!Number.isFinite(stopAt) || stopAt < 1 || stopAt > 100)
      return { ok: false, field: 'planMaxPercent5h', message: 'Stop at must be a percentage from 1 to 100' };
    limits.planMaxPercent5h = stopAt;
  }
  if (f.allowUnpriced) limits.allowUnpriced = true;
  return { ok: true, limits };
}
