import type { SimDevice, SimDeviceKind } from '../fleet/fleet-model';
import { scheduleDeviceDay, type ScheduleInput } from './daily-schedule';
import { addDays, localDateOf, startOfLocalDay, type LocalDate } from './local-time';

const device = (kind: SimDeviceKind): SimDevice => ({ deviceId: `sim-t-p001-${kind}`, key: `p001-${kind}`, kind, unitQuirk: null, reportsUtc: false });
const input = (kind: SimDeviceKind, timezone: string, date: LocalDate, overrides: Partial<ScheduleInput> = {}): ScheduleInput => ({
  seed: 7,
  timezone,
  device: device(kind),
  date,
  chronotypeShiftMin: 0,
  skipDayRate: 0,
  ...overrides,
});
const localHour = (zone: string, t: number): number =>
  Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(t));

const ZONES = ['America/New_York', 'America/Phoenix', 'Asia/Kolkata', 'Australia/Sydney', 'Europe/London'];
const DST_DAYS: LocalDate[] = [
  { year: 2025, month: 3, day: 9 }, // US spring-forward
  { year: 2025, month: 11, day: 2 }, // US fall-back
  { year: 2025, month: 3, day: 30 }, // EU spring-forward
  { year: 2025, month: 4, day: 6 }, // Sydney fall-back
  { year: 2025, month: 6, day: 18 },
];

describe('scheduleDeviceDay', () => {
  it.each(ZONES)('keeps every reading inside the local day in %s, DST days included', (zone) => {
    for (const date of DST_DAYS) {
      for (const kind of ['bp_cuff', 'scale', 'pulse_oximeter', 'glucometer', 'thermometer', 'hub'] as const) {
        const start = startOfLocalDay(zone, date);
        const end = startOfLocalDay(zone, addDays(date, 1));
        for (const r of scheduleDeviceDay(input(kind, zone, date))) {
          expect(r.measuredAtMs).toBeGreaterThanOrEqual(start);
          expect(r.measuredAtMs).toBeLessThan(end);
          expect(localDateOf(zone, r.measuredAtMs)).toEqual(date);
        }
      }
    }
  });

  it('puts BP in the morning and the evening in local time, with repeats a few minutes apart', () => {
    let repeats = 0;
    for (let d = 0; d < 30; d++) {
      const date = addDays({ year: 2025, month: 3, day: 1 }, d);
      const readings = scheduleDeviceDay(input('bp_cuff', 'America/New_York', date));
      for (const r of readings) {
        const h = localHour('America/New_York', r.measuredAtMs);
        expect((h >= 5 && h <= 9) || (h >= 18 && h <= 22)).toBe(true);
      }
      for (let i = 1; i < readings.length; i++) {
        const [a, b] = [readings[i - 1]!, readings[i]!];
        if (a.sessionId !== b.sessionId) continue;
        repeats++;
        expect(b.readingIndex).toBe(a.readingIndex + 1);
        expect(b.measuredAtMs - a.measuredAtMs).toBeGreaterThanOrEqual(120_000);
        expect(b.measuredAtMs - a.measuredAtMs).toBeLessThanOrEqual(360_000);
      }
    }
    expect(repeats).toBeGreaterThan(15); // "often 2 readings"
  });

  it('weighs once, before breakfast', () => {
    for (let d = 0; d < 20; d++) {
      const readings = scheduleDeviceDay(input('scale', 'Asia/Kolkata', addDays({ year: 2025, month: 5, day: 1 }, d)));
      expect(readings.length).toBeLessThanOrEqual(1);
      for (const r of readings) expect(localHour('Asia/Kolkata', r.measuredAtMs)).toBeLessThan(8);
    }
  });

  it('checks glucose 2-4 times a day around meals, fasting first', () => {
    const counts = new Set<number>();
    for (let d = 0; d < 40; d++) {
      const readings = scheduleDeviceDay(input('glucometer', 'America/Chicago', addDays({ year: 2025, month: 1, day: 1 }, d)));
      counts.add(readings.length);
      expect(readings.length).toBeLessThanOrEqual(4);
      if (readings[0]?.glucoseSlot === 'fasting') expect(localHour('America/Chicago', readings[0].measuredAtMs)).toBeLessThan(9);
    }
    expect(counts.has(4) || counts.has(3)).toBe(true);
  });

  it('skips whole days at the configured rate', () => {
    let empty = 0;
    for (let d = 0; d < 200; d++) {
      if (scheduleDeviceDay(input('thermometer', 'Europe/London', addDays({ year: 2025, month: 1, day: 1 }, d), { skipDayRate: 0.25 })).length === 0) empty++;
    }
    expect(empty).toBeGreaterThan(30);
    expect(empty).toBeLessThan(75);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const date = { year: 2025, month: 8, day: 12 };
    const a = scheduleDeviceDay(input('pulse_oximeter', 'America/Denver', date));
    expect(scheduleDeviceDay(input('pulse_oximeter', 'America/Denver', date))).toEqual(a);
    expect(scheduleDeviceDay(input('pulse_oximeter', 'America/Denver', date, { seed: 8 }))).not.toEqual(a);
  });

  it('shifts an early bird earlier', () => {
    const date = { year: 2025, month: 8, day: 12 };
    const normal = scheduleDeviceDay(input('thermometer', 'Europe/London', date));
    const early = scheduleDeviceDay(input('thermometer', 'Europe/London', date, { chronotypeShiftMin: -60 }));
    expect(early[0]!.measuredAtMs).toBe(normal[0]!.measuredAtMs - 3_600_000);
  });
});
