import { addDays } from '../trends/local-day';
import { ad03Verdict, assessBillingPeriod, dataDatesOf, deviceSupplyCodeFor, projectedBandOf } from './billing-assessment';
import { billingPeriodByIndex } from './billing-period';
import { startOfLocalDay } from './local-day-start';

const HOUR_MS = 3_600_000;
/** An instant `hours` after the local midnight of `date` in `zone`. */
const at = (date: string, zone: string, hours = 9) => new Date(startOfLocalDay(date, zone) + hours * HOUR_MS).toISOString();
/** One reading at local 09:00 on each of these day offsets of the period. */
const daily = (firstDate: string, zone: string, offsets: readonly number[]) => offsets.map((d) => at(addDays(firstDate, d), zone));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('data days: distinct local calendar dates with a reading', () => {
  const all = { from: Date.parse('2026-01-01T00:00:00Z'), to: Date.parse('2027-01-01T00:00:00Z') };
  it.each([
    // [zone, readings, dates, why]
    ['America/New_York', ['2026-03-08T04:59:00Z', '2026-03-08T05:00:00Z'], ['2026-03-07', '2026-03-08'], 'midnight EST before spring-forward'],
    ['America/New_York', ['2026-03-09T03:59:00Z', '2026-03-09T04:00:00Z'], ['2026-03-08', '2026-03-09'], 'midnight EDT after it: the 23-hour day'],
    ['America/New_York', ['2026-11-01T04:30:00Z', '2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z', '2026-11-02T04:59:00Z'], ['2026-11-01'], '01:30 twice and 23:59 EST: one 25-hour day'],
    ['America/New_York', ['2026-11-02T05:00:00Z'], ['2026-11-02'], 'midnight EST after fall-back'],
    ['Europe/Paris', ['2026-03-28T22:59:00Z', '2026-03-28T23:00:00Z', '2026-03-29T21:59:00Z', '2026-03-29T22:00:00Z'], ['2026-03-28', '2026-03-29', '2026-03-30'], 'Paris spring-forward edges'],
    ['Europe/Paris', ['2026-10-24T21:59:00Z', '2026-10-24T22:00:00Z', '2026-10-25T22:59:00Z', '2026-10-25T23:00:00Z'], ['2026-10-24', '2026-10-25', '2026-10-26'], 'Paris fall-back edges'],
    ['Asia/Kolkata', ['2026-01-14T18:29:59Z', '2026-01-14T18:30:00Z'], ['2026-01-14', '2026-01-15'], 'midnight at +05:30'],
    ['Pacific/Chatham', ['2026-01-14T10:14:59Z', '2026-01-14T10:15:00Z'], ['2026-01-14', '2026-01-15'], 'midnight at +13:45'],
    ['Pacific/Chatham', ['2026-07-14T11:14:59Z', '2026-07-14T11:15:00Z'], ['2026-07-14', '2026-07-15'], 'midnight at +12:45'],
  ])('%s: %j -> %j (%s)', (zone, readings, dates) => {
    expect(dataDatesOf(readings, zone, all.from, all.to)).toEqual(dates);
  });

  it('dates one instant by each patient\'s own zone', () => {
    const noonUtc = ['2026-01-14T12:00:00Z'];
    expect(dataDatesOf(noonUtc, 'Pacific/Chatham', all.from, all.to)).toEqual(['2026-01-15']); // 01:45 next day
    expect(dataDatesOf(noonUtc, 'Asia/Kolkata', all.from, all.to)).toEqual(['2026-01-14']); // 17:30
    expect(dataDatesOf(noonUtc, 'America/New_York', all.from, all.to)).toEqual(['2026-01-14']); // 07:00
    expect(dataDatesOf(['2026-01-14T03:00:00Z'], 'America/New_York', all.from, all.to)).toEqual(['2026-01-13']); // 22:00 the day before
  });

  it('counts a day once, whatever the number of readings and devices', () => {
    const readings = ['2026-05-01T08:00:00Z', '2026-05-01T08:00:00Z', '2026-05-01T12:00:00Z', Date.parse('2026-05-01T18:00:00Z')];
    expect(dataDatesOf(readings, 'UTC', all.from, all.to)).toEqual(['2026-05-01']);
  });
});

describe('codes and AD-03 (CLINICAL.md 5.2)', () => {
  it.each([
    [0, null, 'none'],
    [1, null, 'none'],
    [2, '99445', '2-15'],
    [15, '99445', '2-15'],
    [16, '99454', '16-30'],
    [30, '99454', '16-30'],
  ])('%i data days: code %s, band %s', (days, code, band) => {
    expect(deviceSupplyCodeFor(days)).toBe(code);
    expect(projectedBandOf(days)).toBe(band);
  });

  it.each([
    // [dataDays, daysRemaining, verdict]
    [0, 16, null],
    [10, 6, null],
    [0, 15, '99454_unreachable'],
    [10, 5, '99454_unreachable'],
    [1, 1, '99454_unreachable'],
    [0, 2, '99454_unreachable'],
    [1, 0, '99445_unreachable'],
    [0, 1, '99445_unreachable'],
    [0, 0, '99445_unreachable'],
    [16, 0, null],
  ])('dataDays %i + daysRemaining %i -> %s', (dataDays, remaining, verdict) => {
    expect(ad03Verdict(dataDays, remaining)).toBe(verdict);
  });
});

describe('assessBillingPeriod', () => {
  const ny = 'America/New_York';
  // Period 0: 2026-02-20 .. 2026-03-21, across spring-forward on Mar 8.
  const nyPeriod = billingPeriodByIndex('2026-02-20', ny, 0);

  it('on the first day, before any reading: nothing settled, no projection, everything reachable', () => {
    const a = assessBillingPeriod({ period: nyPeriod, timeZone: ny, readings: [], now: at('2026-02-20', ny, 8) });
    expect(a).toMatchObject({ status: 'in_progress', today: '2026-02-20', dataDays: 0, daysElapsed: 0, daysRemaining: 30, projectedDataDays: null, projectedBand: null, codeMet: null, codeReachable: '99454', ad03: null });
  });

  it('a reading today settles today: elapsed + remaining stays 30', () => {
    const a = assessBillingPeriod({ period: nyPeriod, timeZone: ny, readings: [at('2026-02-20', ny, 7)], now: at('2026-02-20', ny, 8) });
    expect([a.dataDays, a.daysElapsed, a.daysRemaining, a.projectedDataDays, a.projectedBand]).toEqual([1, 1, 29, 30, '16-30']);
  });

  it('projects at the pace so far, rounding down', () => {
    const eightOfFourteen = assessBillingPeriod({ period: nyPeriod, timeZone: ny, readings: daily(nyPeriod.firstDate, ny, range(0, 8)), now: at(addDays(nyPeriod.firstDate, 14), ny, 6) });
    expect([eightOfFourteen.daysElapsed, eightOfFourteen.projectedDataDays, eightOfFourteen.projectedBand]).toEqual([14, 17, '16-30']); // 8 × 30 / 14 = 17.1
    const sevenOfFourteen = assessBillingPeriod({ period: nyPeriod, timeZone: ny, readings: daily(nyPeriod.firstDate, ny, range(0, 7)), now: at(addDays(nyPeriod.firstDate, 14), ny, 6) });
    expect([sevenOfFourteen.projectedDataDays, sevenOfFourteen.projectedBand, sevenOfFourteen.codeReachable, sevenOfFourteen.ad03]).toEqual([15, '2-15', '99454', null]);
  });

  it('raises AD-03 the day 99454 can no longer be reached, judged on the local date', () => {
    const day15 = addDays(nyPeriod.firstDate, 15); // 2026-03-07: 15 days remain, none of them yet a data day
    const lastChance = assessBillingPeriod({ period: nyPeriod, timeZone: ny, readings: [], now: at(addDays(nyPeriod.firstDate, 14), ny, 23.5) });
    expect([lastChance.daysRemaining, lastChance.codeReachable, lastChance.ad03]).toEqual([16, '99454', null]);
    // 2026-03-07T04:30Z is still Mar 6 in New York (23:30 EST): not yet behind.
    expect(assessBillingPeriod({ period: nyPeriod, timeZone: ny, readings: [], now: '2026-03-07T04:30:00Z' }).ad03).toBeNull();
    const behind = assessBillingPeriod({ period: nyPeriod, timeZone: ny, readings: [], now: at(day15, ny, 0) });
    expect([behind.today, behind.daysRemaining, behind.codeReachable, behind.ad03]).toEqual([day15, 15, '99445', '99454_unreachable']);
  });

  it('counts the DST days like any other: 16 readings at 00:30 local across spring-forward meet 99454', () => {
    // Mar 1 .. Mar 16 at 00:30 local, the 23-hour Mar 8 among them.
    const readings = range(0, 16).map((d) => at(addDays('2026-03-01', d), ny, 0.5));
    const a = assessBillingPeriod({ period: nyPeriod, timeZone: ny, readings, now: nyPeriod.end });
    expect(a.dataDates).toEqual(range(0, 16).map((d) => addDays('2026-03-01', d)));
    expect([a.status, a.today, a.dataDays, a.daysRemaining, a.projectedDataDays, a.codeMet, a.codeReachable, a.ad03]).toEqual(['closed', null, 16, 0, 16, '99454', '99454', null]);
  });

  it('counts readings inside the period only: its local-midnight edges, not the UTC ones', () => {
    const readings = [
      '2026-02-20T04:59:00Z', // Feb 19, 23:59 EST: before the period
      '2026-02-20T05:00:00Z', // Feb 20, 00:00 EST: first instant
      '2026-03-22T03:59:00Z', // Mar 21, 23:59 EDT: last minute
      '2026-03-22T04:00:00Z', // Mar 22, 00:00 EDT: the next period
    ];
    const a = assessBillingPeriod({ period: nyPeriod, timeZone: ny, readings, now: '2026-04-01T00:00:00Z' });
    expect(a.dataDates).toEqual(['2026-02-20', '2026-03-21']);
    expect([a.codeMet, a.ad03]).toEqual(['99445', '99454_unreachable']);
  });

  it('ignores readings dated after now (a clock ahead)', () => {
    const a = assessBillingPeriod({ period: nyPeriod, timeZone: ny, readings: [at('2026-03-01', ny), at('2026-03-05', ny)], now: at('2026-03-02', ny) });
    expect(a.dataDates).toEqual(['2026-03-01']);
  });

  it('says when even 99445 is lost: one day left, no data', () => {
    const a = assessBillingPeriod({ period: nyPeriod, timeZone: ny, readings: [], now: at(nyPeriod.lastDate, ny, 12) });
    expect([a.daysRemaining, a.codeReachable, a.ad03]).toEqual([1, null, '99445_unreachable']);
    const withTwo = assessBillingPeriod({ period: nyPeriod, timeZone: ny, readings: [at('2026-02-21', ny)], now: at(nyPeriod.lastDate, ny, 12) });
    expect([withTwo.codeReachable, withTwo.ad03]).toEqual(['99445', '99454_unreachable']);
  });

  it('is upcoming before it starts', () => {
    const a = assessBillingPeriod({ period: nyPeriod, timeZone: ny, readings: [], now: '2026-02-01T00:00:00Z' });
    expect([a.status, a.daysRemaining, a.ad03]).toEqual(['upcoming', 30, null]);
  });

  describe('Paris across fall-back (a 25-hour day)', () => {
    const paris = 'Europe/Paris';
    const period = billingPeriodByIndex('2026-10-10', paris, 0); // Oct 10 .. Nov 8
    it('takes 23:30 on the long day and 00:30 the next as two days', () => {
      const readings = [...daily(period.firstDate, paris, range(0, 14)), '2026-10-25T22:30:00Z', '2026-10-25T23:30:00Z'];
      const a = assessBillingPeriod({ period, timeZone: paris, readings, now: period.end });
      expect(a.dataDates).toContain('2026-10-25');
      expect(a.dataDates).toContain('2026-10-26');
      expect([a.dataDays, a.codeMet]).toEqual([16, '99454']);
    });
  });

  describe('patients far from UTC', () => {
    it.each([
      ['Asia/Kolkata', '2026-01-15'],
      ['Pacific/Chatham', '2026-01-15'],
    ])('%s: the period starts at local midnight and each local day counts once', (zone, enrolledOn) => {
      const period = billingPeriodByIndex(enrolledOn, zone, 0);
      // Readings at local 23:59 and 00:01: each pair straddles a local midnight, so 2 dates a pair.
      const readings = range(0, 8).flatMap((d) => [at(addDays(enrolledOn, 2 * d), zone, 23 + 59 / 60), at(addDays(enrolledOn, 2 * d + 1), zone, 1 / 60)]);
      const a = assessBillingPeriod({ period, timeZone: zone, readings, now: at(addDays(enrolledOn, 16), zone, 12) });
      expect(a.dataDays).toBe(16);
      expect(a.dataDates[0]).toBe(enrolledOn);
      expect([a.codeMet, a.daysRemaining, a.ad03]).toEqual(['99454', 14, null]);
      // The same instants judged in UTC would have fallen on other dates.
      expect(dataDatesOf(readings, 'UTC', Date.parse(period.start), Date.parse(period.end))).not.toEqual(a.dataDates);
    });
  });
});
