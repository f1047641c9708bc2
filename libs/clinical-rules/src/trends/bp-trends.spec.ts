import type { ObservationV1 } from '@rpm/contracts';
import { evaluateTrends } from './evaluate-trends';
import { NEW_YORK, aBp, applyAll, firedAfter } from './trend-test-kit';

const HTN = ['hypertension' as const];
const at = (day: number, time: string): string => `2026-03-${String(day).padStart(2, '0')}T${time}:00-05:00`;

/** Readings on consecutive days from day `from`: each entry of `day` is [time, sys, dia]. */
function days(from: number, count: number, day: Array<[string, number, number]>): ObservationV1[] {
  return Array.from({ length: count }, (_, i) => day.map(([time, s, d]) => aBp(at(from + i, time), s, d))).flat();
}
const twice = (s: number, d: number): Array<[string, number, number]> => [
  ['07:00', s, d],
  ['07:02', s, d],
  ['19:00', s, d],
  ['19:02', s, d],
];
/** Enrolment day 1 with normal readings, then the tested days. */
const enrolled = (...rest: ObservationV1[]): ObservationV1[] => [...days(1, 1, twice(120, 70)), ...rest];

describe('BP-05 / BP-06 (7-day mean, ≥ 12 readings on ≥ 4 days)', () => {
  it.each([
    [140, 85, [['BP-05', 'medium']]],
    [139, 89, [['BP-06', 'low']]],
    [120, 90, [['BP-05', 'medium']]],
    [130, 70, [['BP-06', 'low']]],
    [110, 80, [['BP-06', 'low']]],
    [129, 79, []],
  ])('mean %d/%d', (s, d, expected) => {
    expect(firedAfter(enrolled(...days(2, 4, twice(s, d))), HTN)).toEqual(expected);
  });

  it('compares unrounded means: 139.75 is below 140', () => {
    const day: Array<[string, number, number]> = [
      ['07:00', 140, 70],
      ['12:00', 140, 70],
      ['19:00', 139, 70],
      ['22:00', 140, 70],
    ];
    expect(firedAfter(enrolled(...days(2, 4, day)), HTN)).toEqual([['BP-06', 'low']]);
  });

  it('drops enrolment day 1', () => {
    const high = days(1, 1, twice(200, 120));
    expect(firedAfter([...high, ...days(2, 4, twice(135, 85))], HTN)).toEqual([['BP-06', 'low']]);
    // Seen from a later window that no longer contains day 1, nothing changes.
    expect(firedAfter([...high, ...days(2, 7, twice(135, 85))], HTN)).toEqual([['BP-06', 'low']]);
  });

  it.each([
    ['11 readings on 4 days', enrolled(...days(2, 3, twice(150, 95).slice(0, 3)), ...days(5, 1, twice(150, 95).slice(0, 2)))],
    ['12 readings on 4 days', enrolled(...days(2, 3, twice(150, 95).slice(0, 3)), ...days(5, 1, twice(150, 95).slice(0, 3)))],
    ['12 readings on 3 days', enrolled(...days(2, 3, twice(150, 95)))],
    ['16 readings on 4 days, one of them enrolment day', days(1, 4, twice(150, 95))],
  ])('needs the minimum counts: %s', (label, readings) => {
    expect(firedAfter(readings, HTN)).toEqual(label === '12 readings on 4 days' ? [['BP-05', 'medium']] : []);
  });

  it('averages sessions first: three readings within 10 min count once', () => {
    // Per day: a 146 session of three readings and one 130 reading. Session mean 138, reading mean 142.
    const day: Array<[string, number, number]> = [
      ['07:00', 146, 80],
      ['07:05', 146, 80],
      ['07:10', 146, 80],
      ['19:00', 130, 80],
    ];
    expect(firedAfter(enrolled(...days(2, 4, day)), HTN)).toEqual([['BP-06', 'low']]);
  });

  it('applies to hypertension only, and says what it averaged', () => {
    const readings = enrolled(...days(2, 4, twice(150, 95)));
    expect(firedAfter(readings, ['heart_failure'])).toEqual([]);
    const last = readings[readings.length - 1]!;
    const [firing] = evaluateTrends(applyAll(readings, NEW_YORK), last, { programs: HTN, timezone: NEW_YORK });
    expect(firing?.summary).toBe(
      '7-day mean BP 150/95 mm[Hg] from 16 readings in 8 sessions on 4 days, first monitoring day 2026-03-01 dropped (BP-05, ≥ 140/90)',
    );
    expect(firing?.evidence.map((e) => e.value)).toEqual([150, 95]);
  });
});
