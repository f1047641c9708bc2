import { evaluateReading } from './evaluate-threshold';
import { EVALUATED_AT, type Fired, aPatient, anObservation, firedOn } from './testing/builders';

const SEVERE: Fired = ['HR-01', 'recheck', 'medium'];
const ABNORMAL: Fired = ['HR-02', 'alert', 'medium'];
const hr = (value: number) => anObservation({ type: 'heart_rate', value });

describe('HR-01 (>= 131 or <= 40, confirm) supersedes HR-02 (> 110 or < 50)', () => {
  it.each<[number, Fired[]]>([
    [20, [SEVERE]],
    [40, [SEVERE]],
    [40.5, [ABNORMAL]],
    [41, [ABNORMAL]],
    [49, [ABNORMAL]],
    [49.9, [ABNORMAL]],
    [50, []],
    [75, []],
    [110, []],
    [110.1, [ABNORMAL]],
    [111, [ABNORMAL]],
    [130, [ABNORMAL]],
    [130.5, [ABNORMAL]],
    [131, [SEVERE]],
    [300, [SEVERE]],
  ])('HR %s /min -> %j', (value, expected) => {
    expect(firedOn(hr(value))).toEqual(expected);
  });

  it.each([[[]], [['heart_failure']], [['copd']], [['diabetes', 'hypertension']]] as const)('applies to every programme: %j', (programs) => {
    expect(firedOn(hr(135), aPatient({ programs: [...programs] }))).toEqual([SEVERE]);
  });

  it('summaries', () => {
    expect(evaluateReading(hr(135), aPatient(), EVALUATED_AT)[0]).toMatchObject({
      summary: 'Heart rate 135 /min ≥ 131 (HR-01 heart rate in the NEWS2 3-point band) — recheck requested',
      threshold: 'Heart rate ≥ 131 /min or heart rate ≤ 40 /min',
      ruleSource: '[NEWS2-chart] [BEAT-HF]',
    });
    expect(evaluateReading(hr(45), aPatient(), EVALUATED_AT)[0]).toMatchObject({
      summary: 'Heart rate 45 /min < 50 (HR-02 tachycardia or bradycardia)',
      threshold: 'Heart rate > 110 /min or heart rate < 50 /min',
    });
  });
});
