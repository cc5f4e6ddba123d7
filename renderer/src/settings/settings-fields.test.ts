import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../shared/admin-api.js';
import { DEFAULT_SETTINGS } from '../../../shared/config.js';
import { fieldsFromSettings, settingsPatch } from './settings-fields.js';

const current: SettingsView = {
  ...DEFAULT_SETTINGS,
  bodyLimitBytes: 32 * 1024 * 1024,
  logBodies: false,
  retentionDays: 30,
  timeZone: '',
  globalDailyUsd: 5,
  alertWebhookUrl: 'https://hooks.example.com/x',
  paused: false,
};

describe('settingsPatch', () => {
  it('an untouched form patches nothing', () => {
    expect(settingsPatch(current, fieldsFromSettings(current))).toEqual({ ok: true, patch: {} });
  });
  it('sends only what changed, with null to clear', () => {
    const f = {
      ...fieldsFromSettings(current),
      logBodies: true,
      globalDailyUsd: '',
      globalMonthlyUsd: '100',
      alertWebhookUrl: '',
      bodyLimitMb: '1.5',
      timeZone: 'Europe/Paris',
    };
    expect(settingsPatch(current, f)).toEqual({
      ok: true,
      patch: {
        logBodies: true,
        timeZone: 'Europe/Paris',
        bodyLimitBytes: 1572864,
        globalDailyUsd: null,
        globalMonthlyUsd: 100,
        alertWebhookUrl: null,
      },
    });
  });
  it('rejects bad input by field', () => {
    const f = fieldsFromSettings(current);
    expect(settingsPatch(current, { ...f, retentionDays: '0' })).toMatchObject({
      ok: false,
      field: 'retentionDays',
    });
    expect(settingsPatch(current, { ...f, priceListUrl: 'ftp://x' })).toMatchObject({
      ok: false,
      field: 'priceListUrl',
    });
    expect(settingsPatch(current, { ...f, globalMonthlyUsd: '-3' })).toMatchObject({
      ok: false,
      field: 'globalMonthlyUsd',
    });
  });
});
