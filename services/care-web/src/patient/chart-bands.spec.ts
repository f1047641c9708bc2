import type { EffectiveProtocolResponse } from '@rpm/contracts';
import { niceTicks, thresholdBands, valueDomain } from './chart-bands';

type Rule = EffectiveProtocolResponse['rules'][number];
const programme = { source: 'programme', protocol: 'general', version: 1 } as const;
const override = { source: 'patient_override', protocol: 'patient', version: 2, setBy: 'lead-1', reason: 'baseline 90-92' } as const;

/** Parameters as clinical-rules' describeParameter writes them. */
function aRule(id: string, kind: Rule['kind'], parameters: [name: string, description: string, value: number][], extra: Partial<Rule> = {}): Rule {
  return {
    id,
    title: id.toLowerCase(),
    source: '[X]',
    kind,
    severity: 'high',
    enabled: true,
    enabledProvenance: programme,
    applies: true,
    protocol: 'general',
    version: 'general v1',
    parameters: parameters.map(([parameter, description, value]) => ({ parameter, description, value, unit: '', defaultValue: value, code: null, provenance: programme })),
    ...extra,
  };
}

const protocol = (rules: Rule[]): EffectiveProtocolResponse => ({ patientId: 'p', version: 1, programs: [], spo2Scale: 1, timezone: 'UTC', rules, overrides: [] });

describe('threshold bands from the effective protocol', () => {
  it('turns each condition into a band on its component: upper, lower, and two-sided', () => {
    const bands = thresholdBands(
      protocol([
        aRule('BP-01', 'threshold', [['conditions.0', 'systolic > 180 mm[Hg]', 180], ['conditions.1', 'diastolic > 120 mm[Hg]', 120]]),
        aRule('SP-01', 'threshold', [['conditions.0', 'SpO2 ≤ 91 %', 91]]),
        aRule('RR-02', 'threshold', [['conditions.0', 'respiratory rate > 20 /min', 20], ['conditions.0.and', 'respiratory rate < 25 /min', 25], ['conditions.1', 'respiratory rate < 12 /min', 12]], { severity: 'medium' }),
      ]),
    );
    expect(bands.map((b) => [b.ruleId, b.code, b.from, b.to])).toEqual([
      ['BP-01', '8480-6', 180, null],
      ['BP-01', '8462-4', 120, null],
      ['SP-01', '59408-5', null, 91],
      ['RR-02', '9279-1', 20, 25],
      ['RR-02', '9279-1', null, 12],
    ]);
    expect(bands[3]).toMatchObject({ description: 'respiratory rate > 20 /min and < 25 /min', severity: 'medium' });
  });

  it("follows the patient's override and names where it came from", () => {
    const rule = aRule('SP-01', 'threshold', [['conditions.0', 'SpO2 ≤ 89 %', 89]]);
    rule.parameters[0] = { ...rule.parameters[0]!, provenance: override, defaultValue: 91 };
    const [band] = thresholdBands(protocol([rule]));
    expect(band).toMatchObject({ to: 89, provenance: [override] });
  });

  it('leaves out the SpO2 rules of the other NEWS2 scale', () => {
    const rules = [
      aRule('SP-01', 'threshold', [['conditions.0', 'SpO2 ≤ 91 %', 91]], { title: 'low SpO2 on scale 1, target 94–98 %' }),
      aRule('SP-03', 'threshold', [['conditions.0', 'SpO2 < 88 %', 88]], { title: 'SpO2 below the 88–92 % target (scale 2)' }),
    ];
    expect(thresholdBands(protocol(rules)).map((b) => b.ruleId)).toEqual(['SP-01']);
    expect(thresholdBands({ ...protocol(rules), spo2Scale: 2 }).map((b) => b.ruleId)).toEqual(['SP-03']);
  });

  it('draws BP means as lines and leaves out changes, cadences and disabled rules', () => {
    const bands = thresholdBands(
      protocol([
        aRule('BP-05', 'trend', [['systolic', 'systolic ≥ 140 mm[Hg]', 140], ['diastolic', 'diastolic ≥ 90 mm[Hg]', 90]]),
        aRule('HF-01', 'trend', [['changes.0', 'weight change > 1.36 kg', 1.36]]),
        aRule('AD-01', 'missing_data', [['cadenceHours', 'no reading for ≥ 48 h', 48]]),
        aRule('TM-01', 'threshold', [['conditions.0', 'temperature ≥ 38 Cel', 38]], { enabled: false }),
      ]),
    );
    expect(bands.map((b) => [b.ruleId, b.kind, b.code, b.from])).toEqual([
      ['BP-05', 'mean-line', '8480-6', 140],
      ['BP-05', 'mean-line', '8462-4', 90],
    ]);
  });
});

describe('chart scales', () => {
  it('picks round ticks', () => {
    expect(niceTicks(0, 100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(36.2, 38.9)).toEqual([36.5, 37, 37.5, 38, 38.5]);
  });

  it('spans the readings and nearby thresholds, not far ones', () => {
    const [min, max] = valueDomain([95, 97, 96], [{ ruleId: 'SP-01', title: '', severity: 'high', code: '59408-5', from: null, to: 91, kind: 'band', description: '', provenance: [] }]);
    expect(min).toBeLessThan(91);
    expect(max).toBeGreaterThan(97);
    const [, far] = valueDomain([80, 82], [{ ruleId: 'X', title: '', severity: 'high', code: 'c', from: 400, to: null, kind: 'band', description: '', provenance: [] }]);
    expect(far).toBeLessThan(100);
  });
});
