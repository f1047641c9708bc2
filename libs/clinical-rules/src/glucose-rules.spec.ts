import { evaluateReading } from './evaluate-threshold';
import { EVALUATED_AT, type Fired, aPatient, anObservation, firedOn } from './testing/builders';

const L2_HYPO: Fired = ['GL-01', 'alert', 'high'];
const L1_HYPO: Fired = ['GL-02', 'alert', 'medium'];
const HYPER: Fired = ['GL-03', 'alert', 'medium'];
const SEVERE_HYPER: Fired = ['GL-04', 'recheck', 'medium'];
const diabetic = aPatient({ programs: ['diabetes'] });
const glucose = (value: number, unit = 'mg/dL') => anObservation({ type: 'glucose', value, unit });

describe('SMBG glucose rules GL-01..GL-04 (diabetes only)', () => {
  it.each<[number, Fired[]]>([
    [20, [L2_HYPO]],
    [53, [L2_HYPO]],
    [53.9, [L2_HYPO]],
    [54, [L1_HYPO]],
    [69, [L1_HYPO]],
    [69.5, [L1_HYPO]], // no gap between 69 and 70 for an unrounded value
    [70, []],
    [180, []],
    [250, []],
    [250.5, [HYPER]],
    [251, [HYPER]],
    [299, [HYPER]],
    [299.9, [HYPER]],
    [300, [SEVERE_HYPER]], // GL-04 supersedes GL-03
    [600, [SEVERE_HYPER]],
  ])('%s mg/dL -> %j', (value, expected) => {
    expect(firedOn(glucose(value), diabetic)).toEqual(expected);
  });

  it.each<[number, Fired[]]>([
    [2.9, [L2_HYPO]], // 52.2 mg/dL
    [3.0, [L1_HYPO]], // 54.05
    [3.8, [L1_HYPO]], // 68.5
    [3.9, []], // 70.3
    [13.8, []], // 248.6
    [13.9, [HYPER]], // 250.4
    [16.6, [HYPER]], // 299.1
    [16.7, [SEVERE_HYPER]], // 300.9
  ])('%s mmol/L arrives converted -> %j', (value, expected) => {
    expect(firedOn(glucose(value, 'mmol/L'), diabetic)).toEqual(expected);
  });

  it.each([[[]], [['heart_failure']], [['hypertension', 'copd']]] as const)('not for programmes %j', (programs) => {
    const patient = aPatient({ programs: [...programs] });
    expect(firedOn(glucose(40), patient)).toEqual([]);
    expect(firedOn(glucose(400), patient)).toEqual([]);
  });

  it('summaries show mg/dL as integers and the mmol/L as sent', () => {
    expect(evaluateReading(glucose(3.0, 'mmol/L'), diabetic, EVALUATED_AT)[0]).toMatchObject({
      summary: 'Glucose 54 mg/dL (sent as 3.0 mmol/L) ≥ 54 and < 70 (GL-02 level 1 hypoglycaemia)',
      threshold: 'Glucose ≥ 54 and < 70 mg/dL',
    });
    expect(evaluateReading(glucose(320), diabetic, EVALUATED_AT)[0]?.summary).toBe(
      'Glucose 320 mg/dL ≥ 300 (GL-04 severe hyperglycaemia, check ketones) — recheck requested',
    );
  });

  it('a displayed value never contradicts its comparison (53.6 shows as 53.6, not "54 < 54")', () => {
    expect(evaluateReading(glucose(53.6), diabetic, EVALUATED_AT)[0]?.summary).toMatch(/^Glucose 53\.6 mg\/dL < 54 /);
  });
});
