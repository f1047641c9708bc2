import { evaluateReading } from './evaluate-threshold';
import { EVALUATED_AT, type Fired, aPatient, anObservation, firedOn } from './testing/builders';

const SEVERE: Fired = ['RR-01', 'recheck', 'medium'];
const ABNORMAL: Fired = ['RR-02', 'alert', 'medium'];
const rr = (value: number) => anObservation({ type: 'respiratory_rate', value });

describe('RR-01 (<= 8 or >= 25, confirm) supersedes RR-02 (21–24 or < 12)', () => {
  it.each<[number, Fired[]]>([
    [3, [SEVERE]],
    [8, [SEVERE]],
    [8.5, [ABNORMAL]],
    [9, [ABNORMAL]],
    [11, [ABNORMAL]],
    [11.9, [ABNORMAL]],
    [12, []],
    [16, []],
    [20, []],
    [20.5, [ABNORMAL]],
    [21, [ABNORMAL]],
    [24, [ABNORMAL]],
    [24.5, [ABNORMAL]],
    [25, [SEVERE]],
    [70, [SEVERE]],
  ])('RR %s /min -> %j', (value, expected) => {
    expect(firedOn(rr(value), aPatient())).toEqual(expected);
  });

  it('summaries and thresholds', () => {
    expect(evaluateReading(rr(22), aPatient(), EVALUATED_AT)[0]).toMatchObject({
      summary: 'Respiratory rate 22 /min > 20 and < 25 (RR-02 abnormal respiratory rate)',
      threshold: 'Respiratory rate > 20 and < 25 /min or respiratory rate < 12 /min',
    });
    expect(evaluateReading(rr(26), aPatient(), EVALUATED_AT)[0]?.summary).toBe(
      'Respiratory rate 26 /min ≥ 25 (RR-01 respiratory rate in the NEWS2 3-point band) — recheck requested',
    );
  });
});
