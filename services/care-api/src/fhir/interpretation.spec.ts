import type { AlertExplanation } from '@rpm/contracts';
import { interpretationOf, mostCritical, type RuleFiringOnReading } from './interpretation';

const AT = '2026-11-27T13:00:00.000Z';
const firing = (overrides: Partial<RuleFiringOnReading>): RuleFiringOnReading => ({
  ruleId: 'BP-01',
  severity: 'medium',
  alertMeasuredAt: AT,
  explanation: null,
  code: '8480-6',
  value: 185,
  measuredAt: AT,
  ...overrides,
});

describe('Observation.interpretation from the rule that fired', () => {
  it.each([
    ['BP-01 recheck, systolic 185', firing({}), 'H'],
    ['BP-01 confirmed (high), systolic 185', firing({ severity: 'high' }), 'HH'],
    ['BP-01, the diastolic 95 beside it did not breach', firing({ code: '8462-4', value: 95 }), null],
    ['BP-02 low pressure, systolic 85', firing({ ruleId: 'BP-02', code: '8480-6', value: 85 }), 'L'],
    ['SP-01 confirmed, 91 %', firing({ ruleId: 'SP-01', severity: 'high', code: '59408-5', value: 91 }), 'LL'],
    ['SP-02 band 92–93 % borders SP-01: low', firing({ ruleId: 'SP-02', code: '59408-5', value: 93 }), 'L'],
    ['RR-02 band 21–24 borders RR-01 >= 25: high', firing({ ruleId: 'RR-02', code: '9279-1', value: 22 }), 'H'],
    ['RR-02 below 12: low', firing({ ruleId: 'RR-02', code: '9279-1', value: 10 }), 'L'],
    ['HR-01 at 35 /min, high severity', firing({ ruleId: 'HR-01', severity: 'high', code: '8867-4', value: 35 }), 'LL'],
    ['GL-02 band 54–69 borders GL-01 < 54: low', firing({ ruleId: 'GL-02', code: '41653-7', value: 60 }), 'L'],
    ['TM-01 fever 38.5', firing({ ruleId: 'TM-01', code: '8310-5', value: 38.5 }), 'H'],
  ] as const)('%s: %s', (_name, input, expected) => {
    expect(interpretationOf(input)).toBe(expected);
  });

  it("judges by the alert's own thresholds (a patient override of BP-01 to 170)", () => {
    const explanation = {
      rule: { id: 'BP-01', title: 'x', source: '[X]', version: 'v' },
      thresholds: [{ parameter: 'conditions.0', description: 'systolic > 170', value: 170, unit: 'mm[Hg]', provenance: { source: 'patient_override', protocol: 'patient', version: 2 } }],
    } satisfies AlertExplanation;
    expect(interpretationOf(firing({ value: 175, explanation }))).toBe('H');
    expect(interpretationOf(firing({ value: 175 }))).toBeNull();
  });

  it('marks only the reading that completed a trend or score: A, or AA when high', () => {
    const hf01 = { ruleId: 'HF-01', code: '29463-7', value: 83.2 };
    expect(interpretationOf(firing({ ...hf01 }))).toBe('A');
    expect(interpretationOf(firing({ ...hf01, measuredAt: '2026-11-26T13:00:00.000Z' }))).toBeNull();
    expect(interpretationOf(firing({ ruleId: 'EW-01', severity: 'high', code: '9279-1', value: 26 }))).toBe('AA');
  });

  it('keeps the most critical of several firings', () => {
    expect(mostCritical([null, 'H', 'HH'])).toBe('HH');
    expect(mostCritical(['L', null])).toBe('L');
    expect(mostCritical([null])).toBeNull();
  });
});
