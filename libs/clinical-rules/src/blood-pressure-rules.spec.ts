import { LOINC } from '@rpm/vitals';
import { evaluateReading } from './evaluate-threshold';
import { EVALUATED_AT, type Fired, aPatient, anObservation, firedOn } from './testing/builders';

const anyone = aPatient({ programs: ['hypertension'] });
const hf = aPatient({ programs: ['heart_failure'] });
const bp = (systolic: number, diastolic: number, unit = 'mmHg') => anObservation({ type: 'blood_pressure', systolic, diastolic, unit });

const CRISIS: Fired = ['BP-01', 'recheck', 'medium'];
const LOW: Fired = ['BP-02', 'alert', 'medium'];
const SEVERE_LOW: Fired = ['BP-03', 'recheck', 'medium'];
const HF_HIGH: Fired = ['BP-04', 'alert', 'medium'];

describe('BP-01 hypertensive crisis range (SBP > 180 or DBP > 120, confirm)', () => {
  it.each<[number, number, Fired[]]>([
    [180, 80, []],
    [180.01, 80, [CRISIS]],
    [181, 80, [CRISIS]],
    [150, 120, []],
    [150, 120.01, [CRISIS]],
    [150, 121, [CRISIS]],
    [190, 125, [CRISIS]],
    [300, 200, [CRISIS]],
  ])('%s/%s mm[Hg] -> %j', (sys, dia, expected) => {
    expect(firedOn(bp(sys, dia), anyone)).toEqual(expected);
  });

  it.each<[number, number, Fired[]]>([
    [24.0, 10.0, [CRISIS]], // 24.0 kPa = 180.015 mm[Hg]: "180 = 24.0 kPa" is a rounded equivalent
    [23.9, 10.0, []], // 179.26
    [18.0, 16.0, [CRISIS]], // DBP 120.010
    [18.0, 15.9, []],
  ])('%s/%s kPa arrives converted -> %j', (sys, dia, expected) => {
    expect(firedOn(bp(sys, dia, 'kPa'), anyone)).toEqual(expected);
  });

  it('tells the nurse what was measured, against what, and asks for a recheck', () => {
    const [firing] = evaluateReading(bp(186, 95), anyone, EVALUATED_AT);
    expect(firing).toMatchObject({
      ruleId: 'BP-01',
      ruleSource: '[ACC17-crisis] [AHA25-GC] [AHA-pt]',
      summary: 'Systolic 186 mm[Hg] > 180 (BP-01 hypertensive crisis range) — recheck requested',
      threshold: 'Systolic > 180 mm[Hg] or diastolic > 120 mm[Hg]',
      retrospective: false,
    });
  });

  it('names every crossed component', () => {
    const [firing] = evaluateReading(bp(190, 125), anyone, EVALUATED_AT);
    expect(firing?.summary).toBe(
      'Systolic 190 mm[Hg] > 180, diastolic 125 mm[Hg] > 120 (BP-01 hypertensive crisis range) — recheck requested',
    );
  });

  it('shows enough decimals that the value visibly crosses the threshold, and the value as sent', () => {
    expect(evaluateReading(bp(180.01, 80), anyone, EVALUATED_AT)[0]?.summary).toMatch(/^Systolic 180\.01 mm\[Hg\] > 180 /);
    expect(evaluateReading(bp(24.0, 10.0, 'kPa'), anyone, EVALUATED_AT)[0]?.summary).toMatch(
      /^Systolic 180\.01 mm\[Hg\] \(sent as 24\.0 kPa\) > 180 /,
    );
  });

  it('carries both components as evidence, unrounded, with what the cuff sent', () => {
    const obs = bp(24.0, 10.0, 'kPa');
    const [firing] = evaluateReading(obs, anyone, EVALUATED_AT);
    const sent = { observationId: obs.observationId, unit: 'mm[Hg]', originalUnit: 'kPa', measuredAt: obs.measuredAt };
    expect(firing?.evidence).toEqual([
      { ...sent, code: LOINC.systolic, value: 24.0 * 7.50062, originalValue: 24.0 },
      { ...sent, code: LOINC.diastolic, value: 10.0 * 7.50062, originalValue: 10.0 },
    ]);
  });
});

describe('BP-02 low blood pressure (SBP < 90 or DBP < 60) and BP-03 severe low SBP (< 80, confirm)', () => {
  it.each<[number, number, Fired[]]>([
    [90, 60, []],
    [89.99, 70, [LOW]],
    [89, 70, [LOW]],
    [100, 59, [LOW]],
    [100, 59.5, [LOW]],
    [80, 50, [LOW]],
    [79.99, 70, [SEVERE_LOW]],
    [79, 50, [SEVERE_LOW]], // BP-03 supersedes BP-02 even though DBP alone would trigger BP-02
    [40, 20, [SEVERE_LOW]],
  ])('%s/%s mm[Hg] -> %j', (sys, dia, expected) => {
    expect(firedOn(bp(sys, dia), anyone)).toEqual(expected);
  });

  it('BP-03 reads systolic only; BP-02 reads both', () => {
    expect(evaluateReading(bp(75, 50), anyone, EVALUATED_AT)[0]?.evidence.map((e) => e.code)).toEqual([LOINC.systolic]);
    expect(evaluateReading(bp(85, 50), anyone, EVALUATED_AT)[0]?.evidence.map((e) => e.code)).toEqual([
      LOINC.systolic,
      LOINC.diastolic,
    ]);
  });

  it('BP-02 summary', () => {
    expect(evaluateReading(bp(100, 58), anyone, EVALUATED_AT)[0]?.summary).toBe('Diastolic 58 mm[Hg] < 60 (BP-02 low blood pressure)');
  });
});

describe('BP-04 high SBP in heart failure (> 170, HF only)', () => {
  it.each<[number, number, Fired[]]>([
    [170, 90, []],
    [170.5, 90, [HF_HIGH]],
    [171, 90, [HF_HIGH]],
    [180, 90, [HF_HIGH]],
    [181, 90, [CRISIS]], // BP-01 supersedes BP-04
    [175, 121, [CRISIS]],
    [160, 121, [CRISIS]],
  ])('HF patient %s/%s mm[Hg] -> %j', (sys, dia, expected) => {
    expect(firedOn(bp(sys, dia), hf)).toEqual(expected);
  });

  it.each([[[]], [['hypertension']], [['copd', 'diabetes']]] as const)('not for programmes %j', (programs) => {
    expect(firedOn(bp(175, 90), aPatient({ programs: [...programs] }))).toEqual([]);
  });

  it('applies when heart failure is one of several programmes', () => {
    expect(firedOn(bp(175, 90), aPatient({ programs: ['hypertension', 'heart_failure'] }))).toEqual([HF_HIGH]);
  });

  it('low-pressure rules apply to HF patients too', () => {
    expect(firedOn(bp(79, 50), hf)).toEqual([SEVERE_LOW]);
  });
});
