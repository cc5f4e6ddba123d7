// The calendar's system zone (an empty time-zone setting, the default) is Date's own local time:
// the same days and period ends as the zone's name through Intl, without ever building an Intl
// formatter — the first one of a process loads ICU's locale data, 40–100 ms of the first budgeted
// request after start-up (issue 16).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const zone = 'America/New_York';
const savedTz = process.env.TZ;
const RealDateTimeFormat = Intl.DateTimeFormat;
let formatters = 0;

beforeAll(() => {
  // Assigning TZ makes Node re-read the process's zone (Date's local time and Intl's default).
  process.env.TZ = zone;
  // Counts formatters built from here on (a spy on the global, not a module mock).
  Intl.DateTimeFormat = new Proxy(RealDateTimeFormat, {
    construct(target, args) {
      formatters++;
      return Reflect.construct(target, args) as object;
    },
    apply(target, self, args) {
      formatters++;
      return Reflect.apply(target, self, args) as unknown;
    },
  });
});
afterAll(() => {
  Intl.DateTimeFormat = RealDateTimeFormat;
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

// Instants around New York's midnight and its 2026 DST changes (8 Mar 02:00 EST→EDT, 1 Nov
// 02:00 EDT→EST), and a month end.
const instants = [
  '2026-03-08T04:59:59.999Z', // 7 Mar 23:59:59.999 EST
  '2026-03-08T05:00:00.000Z', // 8 Mar 00:00 EST
  '2026-03-08T06:59:00.000Z', // 8 Mar 01:59 EST
  '2026-03-08T07:00:00.000Z', // 8 Mar 03:00 EDT
  '2026-03-09T03:59:59.000Z', // 8 Mar 23:59:59 EDT
  '2026-03-09T04:00:00.000Z', // 9 Mar 00:00 EDT
  '2026-11-01T05:30:00.000Z', // 1 Nov 01:30 EDT
  '2026-11-01T06:30:00.000Z', // 1 Nov 01:30 EST
  '2026-12-01T04:59:00.000Z', // 30 Nov 23:59 EST
  '2026-12-01T05:00:00.000Z', // 1 Dec 00:00 EST
].map((s) => new Date(s));

describe('calendar, system zone', () => {
  it('gives days, months and period bounds without building an Intl formatter', async () => {
    const { localDay, localMonth, periodEnd, periodStart, periodKey } =
      await import('../../../main/core/clock/calendar.js');
    formatters = 0;
    const at = new Date('2026-03-08T05:00:00.000Z');
    localDay(at, '');
    localMonth(at, '');
    periodKey(at, '', 'day');
    periodEnd(at, '', 'day');
    periodEnd(at, '', 'month');
    periodStart(at, '', 'month');
    expect(formatters).toBe(0);
  });

  it('agrees with the zone named through Intl at midnights, DST changes and month ends', async () => {
    const { localDay, localMonth, periodEnd, periodStart, resolveTimeZone } =
      await import('../../../main/core/clock/calendar.js');
    expect(resolveTimeZone('')).toBe(zone);
    const expected = [
      '2026-03-07',
      '2026-03-08',
      '2026-03-08',
      '2026-03-08',
      '2026-03-08',
      '2026-03-09',
      '2026-11-01',
      '2026-11-01',
      '2026-11-30',
      '2026-12-01',
    ];
    expect(instants.map((at) => localDay(at, ''))).toEqual(expected);
    expect(instants.map((at) => localDay(at, zone))).toEqual(expected);
    for (const at of instants) {
      expect(localMonth(at, '')).toBe(localMonth(at, zone));
      for (const period of ['day', 'month'] as const) {
        expect(periodEnd(at, '', period).toISOString()).toBe(periodEnd(at, zone, period).toISOString());
        expect(periodStart(at, '', period).toISOString()).toBe(periodStart(at, zone, period).toISOString());
      }
    }
    // By hand: 8 Mar 2026 ends at 9 Mar 00:00 EDT = 04:00Z; November ends at 1 Dec 00:00 EST = 05:00Z.
    expect(periodEnd(instants[3]!, '', 'day').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(periodEnd(instants[7]!, '', 'month').toISOString()).toBe('2026-12-01T05:00:00.000Z');
  });

  it('follows a change of the system zone at once', async () => {
    const { localDay } = await import('../../../main/core/clock/calendar.js');
    const at = new Date('2026-06-15T02:00:00.000Z'); // 14 Jun 22:00 in New York, 15 Jun in UTC
    expect(localDay(at, '')).toBe('2026-06-14');
    process.env.TZ = 'UTC';
    try {
      expect(localDay(at, '')).toBe('2026-06-15');
    } finally {
      process.env.TZ = zone;
    }
  });
});
