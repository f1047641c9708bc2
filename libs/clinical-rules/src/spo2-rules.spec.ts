import { DEFAULT_RULES } from './default-rules';
import { evaluateReading } from './evaluate-threshold';
import { parseRuleSet } from './rule-definition';
import { EVALUATED_AT, type Fired, aPatient, anObservation, firedOn } from './testing/builders';

const spo2 = (value: number) => anObservation({ type: 'spo2', value });
const scale1 = aPatient({ spo2Scale: 1 });
const copdScale2 = aPatient({ programs: ['copd'], spo2Scale: 2 });

describe('scale 1: SP-01 (<= 91, confirm) and SP-02 (92–93)', () => {
  const SP01: Fired = ['SP-01', 'recheck', 'medium'];
  const SP02: Fired = ['SP-02', 'alert', 'medium'];
  it.each<[number, Fired[]]>([
    [0, [SP01]],
    [85, [SP01]],
    [88, [SP01]],
    [91, [SP01]],
    [91.5, [SP02]], // no gap between the bands for an unrounded value
    [92, [SP02]],
    [93, [SP02]],
    [93.9, [SP02]],
    [94, []],
    [98, []],
    [100, []],
  ])('SpO2 %s %% -> %j', (value, expected) => {
    expect(firedOn(spo2(value), scale1)).toEqual(expected);
  });

  it('summaries', () => {
    expect(evaluateReading(spo2(90), scale1, EVALUATED_AT)[0]?.summary).toBe(
      'SpO2 90 % ≤ 91 (SP-01 low SpO2 on scale 1, target 94–98 %) — recheck requested',
    );
    expect(evaluateReading(spo2(92), scale1, EVALUATED_AT)[0]?.threshold).toBe('SpO2 > 91 and < 94 %');
  });
});

describe('scale 2: SP-04 (<= 85, confirm) supersedes SP-03 (< 88, confirm)', () => {
  const SP03: Fired = ['SP-03', 'recheck', 'low'];
  const SP04: Fired = ['SP-04', 'recheck', 'medium'];
  it.each<[number, Fired[]]>([
    [70, [SP04]],
    [83, [SP04]],
    [85, [SP04]],
    [85.5, [SP03]],
    [86, [SP03]],
    [87, [SP03]],
    [87.9, [SP03]],
    [88, []],
    [91, []],
    [92, []],
    [93, []],
    [97, []], // SP-06 is off by default
    [100, []],
  ])('SpO2 %s %% -> %j', (value, expected) => {
    expect(firedOn(spo2(value), copdScale2)).toEqual(expected);
  });
});

describe('the clinician-set scale gates the SpO2 rules, not the COPD programme', () => {
  it.each<[string, Parameters<typeof aPatient>[0], number, string[]]>([
    ['scale 2 COPD at 91 gets no scale-1 rule', { programs: ['copd'], spo2Scale: 2 }, 91, []],
    ['scale 2 COPD at 93 gets no scale-1 rule', { programs: ['copd'], spo2Scale: 2 }, 93, []],
    ['scale 1 patient at 87 gets SP-01, not SP-03', { spo2Scale: 1 }, 87, ['SP-01']],
    ['scale 1 patient at 85 gets SP-01, not SP-04', { spo2Scale: 1 }, 85, ['SP-01']],
    ['COPD on scale 1 (no hypercapnic failure) is scale 1', { programs: ['copd'], spo2Scale: 1 }, 87, ['SP-01']],
    ['scale 2 without the COPD programme is scale 2', { programs: ['heart_failure'], spo2Scale: 2 }, 87, ['SP-03']],
  ])('%s', (_name, patient, value, expected) => {
    expect(firedOn(spo2(value), aPatient(patient)).map(([id]) => id)).toEqual(expected);
  });
});

describe('SP-06 over-oxygenation (needs an O2 input that does not exist yet)', () => {
  const sp06 = DEFAULT_RULES.find((r) => r.id === 'SP-06');

  it('is defined, off by default, for scale 2, and requires supplemental O2', () => {
    expect(sp06).toMatchObject({
      enabledByDefault: false,
      population: { kind: 'spo2_scale', scale: 2 },
      requires: ['supplemental_o2'],
      severity: 'low',
    });
  });

  it('does not fire even when switched on, until the context can say the patient is on O2', () => {
    const switchedOn = parseRuleSet(DEFAULT_RULES.map((r) => (r.id === 'SP-06' ? { ...r, enabledByDefault: true } : r)));
    expect(firedOn(spo2(98), copdScale2, switchedOn)).toEqual([]);
  });
});
