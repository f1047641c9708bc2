import type { ObservationV1 } from '@rpm/contracts';
import { evaluateTrends } from './evaluate-trends';
import { NEW_YORK, anSpo2, applyAll, firedAfter } from './trend-test-kit';

const on = (day: number, time = '09:00'): string => {
  const date = new Date(Date.UTC(2026, 2, 1 + day)).toISOString().slice(0, 10);
  return `${date}T${time}:00-05:00`;
};
/** One reading a day at `value` on `count` days ending the day before `today`. */
const baseline = (today: number, count: number, value = 95): ObservationV1[] =>
  Array.from({ length: count }, (_, i) => anSpo2(on(today - count + i), value));

describe('SP-05 (daily median ≤ 14-day baseline median − 3)', () => {
  it.each([
    [7, [92], [['SP-05', 'medium']]],
    [7, [93], []],
    [6, [90], []], // baseline needs 7 valid days
    [14, [97, 91, 92], [['SP-05', 'medium']]], // today's median is 92
    [14, [97, 91, 93, 92], []], // median 92.5
  ])('%d baseline days, today %j', (count, today, expected) => {
    const readings = [...baseline(20, count), ...today.map((v, i) => anSpo2(on(20, `1${i}:00`), v))];
    expect(firedAfter(readings, [])).toEqual(expected);
  });

  it('uses the median of daily medians and ignores days older than 14', () => {
    const old = Array.from({ length: 5 }, (_, i) => anSpo2(on(i), 99)); // 16+ days before day 21
    const mixed = [...baseline(21, 4, 96), ...baseline(17, 3, 94)]; // medians 94 ×3, 96 ×4 -> 96
    expect(firedAfter([...old, ...mixed, anSpo2(on(21), 93)], [])).toEqual([['SP-05', 'medium']]);
    expect(firedAfter([...old, ...mixed.slice(0, 3), anSpo2(on(21), 93)], [])).toEqual([]);
  });

  it('summarises median and baseline', () => {
    const readings = [...baseline(20, 8), anSpo2(on(20), 91)];
    const last = readings[readings.length - 1]!;
    const [firing] = evaluateTrends(applyAll(readings, NEW_YORK), last, { programs: ['copd'], timezone: NEW_YORK });
    expect(firing?.summary).toBe('SpO2 daily median 91 % (1 readings on 2026-03-21), 14-day baseline median 95 % from 8 days (SP-05, ≤ baseline − 3)');
    expect(firing?.evidence).toHaveLength(1);
  });
});
