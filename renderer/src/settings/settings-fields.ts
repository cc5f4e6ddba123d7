// The settings form's text fields <-> a PATCH body holding only what changed ('' clears an optional).
import type { PatchSettings, SettingsView } from '../../../shared/admin-api.js';
import { parseOptionalNumber } from '../format/numbers.js';

export const MIB = 1024 * 1024;

export interface SettingsFields {
  logBodies: boolean;
  cacheEnabled: boolean;
  /** settings.priceRefresh: absent means on. */
  priceRefresh: boolean;
  retentionDays: string;
  timeZone: string;
  globalDailyUsd: string;
  globalMonthlyUsd: string;
  alertWebhookUrl: string;
  priceListUrl: string;
  bodyLimitMb: string;
  /** upstreamTimeoutMs and shutdownGraceMs, shown in seconds. */
  upstreamTimeoutS: string;
  shutdownGraceS: string;
}

export function fieldsFromSettings(s: SettingsView): SettingsFields {
  const str = (n: number | undefined) => (n === undefined ? '' : String(n));
  return {
    logBodies: s.logBodies,
    cacheEnabled: s.cacheEnabled,
    priceRefresh: s.priceRefresh !== false,
    retentionDays: String(s.retentionDays),
    timeZone: s.timeZone,
    globalDailyUsd: str(s.globalDailyUsd),
    globalMonthlyUsd: str(s.globalMonthlyUsd),
    alertWebhookUrl: s.alertWebhookUrl ?? '',
    priceListUrl: s.priceListUrl ?? '',
    bodyLimitMb: String(Math.round((s.bodyLimitBytes / MIB) * 100) / 100),
    upstreamTimeoutS: String(s.upstreamTimeoutMs / 1000),
    shutdownGraceS: String(s.shutdownGraceMs / 1000),
  };
}

export type PatchResult =
  { ok: true; patch: PatchSettings } | { ok: false; field: keyof SettingsFields; message: string };

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

export function settingsPatch(current: SettingsView, f: SettingsFields): PatchResult {
  const patch: PatchSettings = {};
  if (f.logBodies !== current.logBodies) patch.logBodies = f.logBodies;
  if (f.cacheEnabled !== current.cacheEnabled) patch.cacheEnabled = f.cacheEnabled;
  if (f.priceRefresh !== (current.priceRefresh !== false)) patch.priceRefresh = f.priceRefresh;
  if (f.timeZone.trim() !== current.timeZone) patch.timeZone = f.timeZone.trim();

  const days = parseOptionalNumber(f.retentionDays);
  if (days === undefined || !Number.isInteger(days) || days <= 0) {
    return {
      ok: false,
      field: 'retentionDays',
      message: 'Keep history for a whole number of days, 1 or more',
    };
  }
  if (days !== current.retentionDays) patch.retentionDays = days;

  const mb = parseOptionalNumber(f.bodyLimitMb);
  if (mb === undefined || !Number.isFinite(mb) || mb <= 0) {
    return { ok: false, field: 'bodyLimitMb', message: 'Body limit must be a size in MB above 0' };
  }
  const bytes = Math.round(mb * MIB);
  // Unchanged unless the user edited the (rounded) MB value shown.
  if (f.bodyLimitMb !== fieldsFromSettings(current).bodyLimitMb && bytes !== current.bodyLimitBytes) {
    patch.bodyLimitBytes = bytes;
  }

  const timeout = parseOptionalNumber(f.upstreamTimeoutS);
  if (timeout === undefined || !Number.isFinite(timeout) || Math.round(timeout * 1000) <= 0) {
    return {
      ok: false,
      field: 'upstreamTimeoutS',
      message: 'The upstream timeout must be a number of seconds above 0',
    };
  }
  if (Math.round(timeout * 1000) !== current.upstreamTimeoutMs)
    patch.upstreamTimeoutMs = Math.round(timeout * 1000);
  const grace = parseOptionalNumber(f.shutdownGraceS);
  if (grace === undefined || !Number.isFinite(grace) || grace < 0) {
    return {
      ok: false,
      field: 'shutdownGraceS',
      message: 'The shutdown grace must be a number of seconds, 0 or more',
    };
  }
  if (Math.round(grace * 1000) !== current.shutdownGraceMs) patch.shutdownGraceMs = Math.round(grace * 1000);

  for (const key of ['globalDailyUsd', 'globalMonthlyUsd'] as const) {
    const n = parseOptionalNumber(f[key]);
    if (n !== undefined && (!Number.isFinite(n) || n <= 0)) {
      return {
        ok: false,
        field: key,
        message: 'A budget must be a positive amount in USD (or empty for none)',
      };
    }
    if (n !== current[key]) patch[key] = n ?? null;
  }
  for (const key of ['alertWebhookUrl', 'priceListUrl'] as const) {
    const v = f[key].trim();
    if (v && !isHttpUrl(v))
      return { ok: false, field: key, message: 'Enter an http(s) URL, or leave it empty' };
    if ((v || undefined) !== current[key]) patch[key] = v || null;
  }
  return { ok: true, patch };
}
