import {
  billingPeriodAt,
  billingPeriodByIndex,
  billingPeriodOn,
  billingPeriodsOverlapping,
  enrolmentDate,
  monthDates,
} from './billing-period';
import { startOfLocalDay } from './local-day-start';

const iso = (ms: number) => new Date(ms).toISOString();
const HOUR_MS = 3_600_000;

describe('startOfLocalDay: the first instant of a local calendar date', () => {
  it.each([
    // [date, zone, first instant, why]
    ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00.000Z', 'spring-forward day starts in EST'],
    ['2026-03-09', 'America/New_York', '2026-03-09T04:00:00.000Z', 'the day after starts in EDT: Mar 8 lasted 23 h'],
    ['2026-11-01', 'America/New_York', '2026-11-01T04:00:00.000Z', 'fall-back day starts in EDT'],
    ['2026-11-02', 'America/New_York', '2026-11-02T05:00:00.000Z', 'the day after starts in EST: Nov 1 lasted 25 h'],
    ['2026-03-29', 'Europe/Paris', '2026-03-28T23:00:00.000Z', 'spring-forward day starts in CET'],
    ['2026-03-30', 'Europe/Paris', '2026-03-29T22:00:00.000Z', 'then CEST'],
    ['2026-10-25', 'Europe/Paris', '2026-10-24T22:00:00.000Z', 'fall-back day starts in CEST'],
    ['2026-10-26', 'Europe/Paris', '2026-10-25T23:00:00.000Z', 'then CET'],
    ['2026-01-15', 'Asia/Kolkata', '2026-01-14T18:30:00.000Z', '+05:30, no DST'],
    ['2026-07-15', 'Asia/Kolkata', '2026-07-14T18:30:00.000Z', '+05:30 all year'],
    ['2026-01-15', 'Pacific/Chatham', '2026-01-14T10:15:00.000Z', '+13:45 in the southern summer'],
    ['2026-07-15', 'Pacific/Chatham', '2026-07-14T11:15:00.000Z', '+12:45 in the southern winter'],
    ['2026-04-06', 'Pacific/Chatham', '2026-04-05T11:15:00.000Z', 'after Chatham falls back at 03:45 on Apr 5'],
    ['2026-09-06', 'America/Santiago', '2026-09-06T04:00:00.000Z', 'midnight is skipped: the day starts at 01:00 -03'],
    ['2026-04-05', 'America/Santiago', '2026-04-05T04:00:00.000Z', 'after the 25-hour Apr 4 (midnight falls back to 23:00)'],
    ['2026-04-04', 'America/Santiago', '2026-04-04T03:00:00.000Z', 'the long day starts in -03'],
    ['2026-06-01', 'UTC', '2026-06-01T00:00:00.000Z', 'UTC'],
  ])('%s in %s starts at %s (%s)', (date, zone, expected) => {
    expect(iso(startOfLocalDay(date, zone))).toBe(expected);
  });

  it('refuses an unknown zone rather than guess', () => {
    expect(() => startOfLocalDay('2026-01-01', 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('billing periods: 30 local days from the enrolment date, repeating', () => {
  it('takes the enrolment date in the patient\'s zone: one instant, two dates', () => {
    const enrolledAt = '2026-01-14T18:45:00.000Z';
    expect(enrolmentDate(enrolledAt, 'Asia/Kolkata')).toBe('2026-01-15'); // 00:15 IST
    expect(enrolmentDate(enrolledAt, 'America/New_York')).toBe('2026-01-14'); // 13:45 EST
    expect(enrolmentDate('2026-01-14T10:15:00.000Z', 'Pacific/Chatham')).toBe('2026-01-15'); // 00:00 +13:45
    expect(enrolmentDate('2026-01-14T10:14:59.999Z', 'Pacific/Chatham')).toBe('2026-01-14');
  });

  it('spans 30 calendar days, an hour short across spring-forward (New York)', () => {
    const period = billingPeriodByIndex('2026-02-20', 'America/New_York', 0);
    expect(period).toEqual({
      index: 0,
      firstDate: '2026-02-20',
      lastDate: '2026-03-21',
      start: '2026-02-20T05:00:00.000Z',
      end: '2026-03-22T04:00:00.000Z',
    });
    expect(Date.parse(period.end) - Date.parse(period.start)).toBe(30 * 24 * HOUR_MS - HOUR_MS);
  });

  it('spans 30 calendar days, an hour long across fall-back (Paris)', () => {
    const period = billingPeriodByIndex('2026-10-10', 'Europe/Paris', 0);
    expect([period.firstDate, period.lastDate, period.start, period.end]).toEqual([
      '2026-10-10',
      '2026-11-08',
      '2026-10-09T22:00:00.000Z',
      '2026-11-08T23:00:00.000Z',
    ]);
    expect(Date.parse(period.end) - Date.parse(period.start)).toBe(30 * 24 * HOUR_MS + HOUR_MS);
  });

  it('chains periods: each starts where the last ended', () => {
    const zone = 'America/New_York';
    const periods = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((i) => billingPeriodByIndex('2026-01-01', zone, i));
    for (let i = 1; i < periods.length; i++) expect(periods[i]?.start).toBe(periods[i - 1]?.end);
    expect(periods[1]?.firstDate).toBe('2026-01-31');
    expect(periods[12]?.firstDate).toBe('2026-12-27');
  });

  it.each([
    ['2026-01-15', null],
    ['2026-01-16', 0],
    ['2026-02-14', 0],
    ['2026-02-15', 1],
    ['2026-03-16', 1],
    ['2026-03-17', 2],
  ])('the period on %s is #%s (enrolled 2026-01-16)', (date, index) => {
    expect(billingPeriodOn('2026-01-16', 'Europe/Paris', date)?.index ?? null).toBe(index);
  });

  it('finds the period in progress by the local date, not the UTC one', () => {
    // 2026-03-22T03:30Z is still Mar 21 in New York (23:30 EDT): the last day of period 0.
    expect(billingPeriodAt('2026-02-20', 'America/New_York', '2026-03-22T03:30:00.000Z')?.index).toBe(0);
    expect(billingPeriodAt('2026-02-20', 'America/New_York', '2026-03-22T04:00:00.000Z')?.index).toBe(1);
    // In Chatham, 2026-01-13T10:15Z is already Jan 14: the enrolment day.
    expect(billingPeriodAt('2026-01-14', 'Pacific/Chatham', '2026-01-13T10:15:00.000Z')?.index).toBe(0);
    expect(billingPeriodAt('2026-01-14', 'Pacific/Chatham', '2026-01-13T10:14:00.000Z')).toBeNull();
  });

  it.each([
    ['2025-12', []],
    ['2026-01', [0]],
    ['2026-02', [0, 1]],
    ['2026-03', [1, 2]],
  ])('month %s overlaps periods %j (enrolled 2026-01-15)', (month, indexes) => {
    const { firstDate, lastDate } = monthDates(month);
    expect(billingPeriodsOverlapping('2026-01-15', 'Asia/Kolkata', firstDate, lastDate).map((p) => p.index)).toEqual(indexes);
  });

  it('knows month lengths, leap years included', () => {
    expect(monthDates('2026-02')).toEqual({ firstDate: '2026-02-01', lastDate: '2026-02-28' });
    expect(monthDates('2028-02')).toEqual({ firstDate: '2028-02-01', lastDate: '2028-02-29' });
    expect(monthDates('2026-12')).toEqual({ firstDate: '2026-12-01', lastDate: '2026-12-31' });
    expect(() => monthDates('2026-13')).toThrow(RangeError);
  });
});
