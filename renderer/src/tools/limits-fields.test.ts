import { describe, expect, it } from 'vitest';
import { EMPTY_LIMIT_FIELDS, fieldsFromLimits, limitsFromFields } from './limits-fields.js';

describe('limitsFromFields', () => {
  it('empty fields mean no limits', () => {
    expect(limitsFromFields(EMPTY_LIMIT_FIELDS)).toEqual({ ok: true, limits: {} });
  });
  it('parses money, rates and model globs', () => {
    expect(
      limitsFromFields({
        dailyUsd: '2.5',
        monthlyUsd: ' 40 ',
        rpm: '60',
        tpm: '',
        models: 'gpt-4o*, claude-*,',
        planMaxPercent5h: '',
        allowUnpriced: false,
      }),
    ).toEqual({
      ok: true,
      limits: { dailyUsd: 2.5, monthlyUsd: 40, rpm: 60, models: ['gpt-4o*', 'claude-*'] },
    });
  });
  it('names the bad field', () => {
    expect(limitsFromFields({ ...EMPTY_LIMIT_FIELDS, dailyUsd: 'abc' })).toMatchObject({
      ok: false,
      field: 'dailyUsd',
    });
    expect(limitsFromFields({ ...EMPTY_LIMIT_FIELDS, monthlyUsd: '0' })).toMatchObject({
      ok: false,
      field: 'monthlyUsd',
    });
    expect(limitsFromFields({ ...EMPTY_LIMIT_FIELDS, rpm: '1.5' })).toMatchObject({
      ok: false,
      field: 'rpm',
    });
  });
  it('round-trips through fieldsFromLimits', () => {
    const limits = { dailyUsd: 0.75, tpm: 10000, models: ['a', 'b'] };
    expect(limitsFromFields(fieldsFromLimits(limits))).toEqual({ ok: true, limits });
    const opted = { dailyUsd: 1, allowUnpriced: true };
    expect(limitsFromFields(fieldsFromLimits(opted))).toEqual({ ok: true, limits: opted });
  });
});
