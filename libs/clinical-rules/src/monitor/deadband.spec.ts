import { LOINC } from '@rpm/vitals';
import { DEFAULT_RULES } from '../default-rules';
import { clearLimit, relaxedTrendRule, worsenedBeyondDeadband } from './deadband';
import { TREND_RULES } from '../trends';

const rule = (id: string) => DEFAULT_RULES.find((r) => r.id === id)!;
const trend = (id: string) => TREND_RULES.find((r) => r.id === id)!;

describe('clear limits: the normal-facing bound moved by the deadband (CLINICAL.md section 0)', () => {
  it.each([
    ['BP-01', 0, { comparator: '<=', threshold: 175 }],
    ['BP-01', 1, { comparator: '<=', threshold: 115 }],
    ['BP-02', 0, { comparator: '>=', threshold: 95 }],
    ['HR-01', 0, { comparator: '<=', threshold: 126 }],
    ['SP-02', 0, { comparator: '>=', threshold: 96 }], // band > 91 and < 94: left towards normal through 94
    ['RR-02', 0, { comparator: '<=', threshold: 18 }], // band > 20 and < 25: left towards normal through 20
    ['GL-02', 0, { comparator: '>=', threshold: 80 }], // band >= 54 and < 70
  ] as const)('%s condition %i clears at %j', (id, index, limit) => {
    const cleared = clearLimit(rule(id).conditions[index]!);
    expect(cleared.comparator).toBe(limit.comparator);
    expect(cleared.threshold).toBeCloseTo(limit.threshold, 9);
  });

  it('TM-01 clears at 37.7 Cel (0.3 below 38.0)', () => {
    expect(clearLimit(rule('TM-01').conditions[0]!).threshold).toBeCloseTo(37.7, 9);
  });
});

describe('trend hysteresis', () => {
  it('moves BP means 5 mmHg, weight changes 0.5 kg and the SpO2 drop 2 points towards normal', () => {
    expect(relaxedTrendRule(trend('BP-05'))).toMatchObject({ systolic: 135, diastolic: 85 });
    const hf01 = relaxedTrendRule(trend('HF-01'));
    expect(hf01.measure === 'weight_change' && hf01.changes[0]!.threshold).toBeCloseTo(0.86, 9);
    const hf04 = relaxedTrendRule(trend('HF-04'));
    expect(hf04.measure === 'weight_change' && hf04.changes[0]!.threshold).toBeCloseTo(-0.41, 9);
    expect(relaxedTrendRule(trend('SP-05'))).toMatchObject({ drop: 1 });
  });
});

describe('worse after a nurse closed the item (CLINICAL.md 4.2: twice the deadband)', () => {
  const hr = (value: number) => ({ code: LOINC.heartRate, value });
  it.each([
    ['HR-02', [hr(115)], [hr(124)], false],
    ['HR-02', [hr(115)], [hr(125)], true],
    ['HR-02', [hr(45)], [hr(35)], true], // the low side worsens downwards
    ['HR-02', [hr(45)], [hr(40)], false],
    ['SP-01', [{ code: LOINC.spo2, value: 90 }], [{ code: LOINC.spo2, value: 86 }], true],
    ['BP-01', [{ code: LOINC.systolic, value: 185 }, { code: LOINC.diastolic, value: 100 }], [{ code: LOINC.systolic, value: 192 }, { code: LOINC.diastolic, value: 110 }], true],
    ['HF-01', [{ code: LOINC.bodyWeight, value: 80 }], [{ code: LOINC.bodyWeight, value: 90 }], false], // trends: severity or time only
  ] as const)('%s %j -> %j: %s', (ruleId, before, after, expected) => {
    expect(worsenedBeyondDeadband(ruleId, before, after)).toBe(expected);
  });
});
