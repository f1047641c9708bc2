import {
  addDays,
  formatRfc3339InZone,
  formatRfc3339Utc,
  localDateOf,
  localTimeToEpoch,
  startOfLocalDay,
  zoneOffsetMinutes,
} from './local-time';

const utc = (iso: string): number => Date.parse(iso);

describe('local time in IANA zones (Intl only)', () => {
  it.each([
    ['America/New_York', '2025-01-15T12:00:00Z', -300],
    ['America/New_York', '2025-07-15T12:00:00Z', -240],
    ['America/Phoenix', '2025-07-15T12:00:00Z', -420],
    ['Asia/Kolkata', '2025-07-15T12:00:00Z', 330],
    ['Australia/Sydney', '2025-01-15T12:00:00Z', 660],
    ['Australia/Sydney', '2025-07-15T12:00:00Z', 600],
    ['Europe/London', '2025-01-15T12:00:00Z', 0],
  ])('%s at %s is UTC%+d min', (zone, iso, offset) => {
    expect(zoneOffsetMinutes(zone, utc(iso))).toBe(offset);
  });

  it('maps a local wall time to the right instant on both sides of the US spring-forward', () => {
    const ny = 'America/New_York';
    expect(new Date(localTimeToEpoch(ny, { year: 2025, month: 3, day: 8 }, 7 * 60)).toISOString()).toBe('2025-03-08T12:00:00.000Z');
    expect(new Date(localTimeToEpoch(ny, { year: 2025, month: 3, day: 9 }, 7 * 60)).toISOString()).toBe('2025-03-09T11:00:00.000Z');
  });

  it('moves a time skipped by spring-forward past the gap and takes the first of a repeated hour', () => {
    const ny = 'America/New_York';
    // 02:30 does not exist on 2025-03-09: lands at 03:30 EDT.
    expect(new Date(localTimeToEpoch(ny, { year: 2025, month: 3, day: 9 }, 150)).toISOString()).toBe('2025-03-09T07:30:00.000Z');
    // 01:30 happens twice on 2025-11-02: the EDT one comes first.
    expect(new Date(localTimeToEpoch(ny, { year: 2025, month: 11, day: 2 }, 90)).toISOString()).toBe('2025-11-02T05:30:00.000Z');
  });

  it('has 23- and 25-hour days at the DST transitions', () => {
    const ny = 'America/New_York';
    const len = (y: number, m: number, d: number): number =>
      (startOfLocalDay(ny, addDays({ year: y, month: m, day: d }, 1)) - startOfLocalDay(ny, { year: y, month: m, day: d })) / 3_600_000;
    expect(len(2025, 3, 9)).toBe(23);
    expect(len(2025, 11, 2)).toBe(25);
    expect(len(2025, 6, 1)).toBe(24);
  });

  it('finds the local calendar date of an instant', () => {
    expect(localDateOf('Australia/Sydney', utc('2025-01-15T20:00:00Z'))).toEqual({ year: 2025, month: 1, day: 16 });
    expect(localDateOf('America/Los_Angeles', utc('2025-01-15T05:00:00Z'))).toEqual({ year: 2025, month: 1, day: 14 });
  });

  it('adds days across month and year ends', () => {
    expect(addDays({ year: 2024, month: 12, day: 31 }, 1)).toEqual({ year: 2025, month: 1, day: 1 });
    expect(addDays({ year: 2024, month: 3, day: 1 }, -1)).toEqual({ year: 2024, month: 2, day: 29 });
  });

  it('formats RFC 3339 with the local offset, truncating to the second', () => {
    expect(formatRfc3339InZone(utc('2025-07-15T12:00:00.999Z'), 'Asia/Kolkata')).toBe('2025-07-15T17:30:00+05:30');
    expect(formatRfc3339InZone(utc('2025-03-09T11:05:07Z'), 'America/New_York')).toBe('2025-03-09T07:05:07-04:00');
    expect(formatRfc3339InZone(utc('2025-01-15T12:00:00Z'), 'Europe/London')).toBe('2025-01-15T12:00:00+00:00');
    expect(formatRfc3339Utc(utc('2025-01-15T12:00:00.7Z'))).toBe('2025-01-15T12:00:00Z');
  });

  it('round-trips: the formatted text parses back to the same instant', () => {
    for (const zone of ['America/Denver', 'Asia/Kolkata', 'Australia/Sydney']) {
      const t = utc('2025-10-05T15:42:11Z');
      expect(Date.parse(formatRfc3339InZone(t, zone))).toBe(t);
    }
  });
});
