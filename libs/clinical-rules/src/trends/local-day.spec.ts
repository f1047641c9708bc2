import { addDays, daysBetween, localTimeOf } from './local-day';
import { NEW_YORK, SYDNEY } from './trend-test-kit';

describe('localTimeOf', () => {
  it.each([
    // New York springs forward on 2026-03-08 at 02:00 EST -> 03:00 EDT.
    ['2026-03-08T08:59:00Z', NEW_YORK, '2026-03-08', 4, 59],
    ['2026-03-08T07:59:00Z', NEW_YORK, '2026-03-08', 3, 59],
    ['2026-03-08T06:59:00Z', NEW_YORK, '2026-03-08', 1, 59],
    ['2026-03-08T04:59:00Z', NEW_YORK, '2026-03-07', 23, 59],
    // Sydney falls back on 2026-04-05 at 03:00 AEDT -> 02:00 AEST; 00:30 local is still 04-04 in UTC.
    ['2026-04-04T13:30:00Z', SYDNEY, '2026-04-05', 0, 30],
    ['2026-04-04T17:59:00Z', SYDNEY, '2026-04-05', 3, 59],
    ['2026-04-04T18:00:00Z', SYDNEY, '2026-04-05', 4, 0],
    ['2026-04-05T13:59:00Z', SYDNEY, '2026-04-05', 23, 59],
  ])('%s in %s is %s %d:%d', (instant, zone, date, hour, minute) => {
    expect(localTimeOf(instant, zone)).toEqual({ date, hour, minute });
  });

  it('reports midnight as hour 0 and rejects unknown zones and instants', () => {
    expect(localTimeOf('2026-03-02T05:00:00Z', NEW_YORK).hour).toBe(0);
    expect(() => localTimeOf('2026-03-02T05:00:00Z', 'Mars/Olympus')).toThrow(RangeError);
    expect(() => localTimeOf('not a date', NEW_YORK)).toThrow(RangeError);
  });
});

describe('calendar arithmetic', () => {
  it('steps whole days across DST changes and month ends', () => {
    expect(addDays('2026-03-08', -1)).toBe('2026-03-07');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -14)).toBe('2026-02-15');
    expect(daysBetween('2026-03-01', '2026-03-15')).toBe(14);
  });
});

describe('localTimeOf: offsets that change off the hour', () => {
  it('follows Lord Howe Island across its half-hour DST switch at 15:30 UTC', () => {
    // 2026-10-04 02:00 local (+10:30) becomes 02:30 (+11:00): at 15:30 UTC on 2026-10-03.
    expect(localTimeOf('2026-10-03T15:29:00Z', 'Australia/Lord_Howe')).toEqual({ date: '2026-10-04', hour: 1, minute: 59 });
    expect(localTimeOf('2026-10-03T15:30:00Z', 'Australia/Lord_Howe')).toEqual({ date: '2026-10-04', hour: 2, minute: 30 });
  });

  it('keeps minutes of half-hour zones', () => {
    expect(localTimeOf('2026-11-27T00:10:00Z', 'Asia/Kolkata')).toEqual({ date: '2026-11-27', hour: 5, minute: 40 });
  });
});
