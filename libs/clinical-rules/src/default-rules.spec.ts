import { Severity } from '@rpm/contracts';
import { LOINC } from '@rpm/vitals';
import { DEFAULT_RULES } from './default-rules';
import { describeThreshold } from './describe';
import { RuleDefinition, RuleSet, parseRuleSet, singleReadingSeverity, type RuleDefinitionInput } from './rule-definition';

/** CLINICAL.md section 0, the single-reading rows this library implements. */
const SECTION_0: Array<[id: string, source: string, severity: Severity, confirm: boolean, enabled: boolean]> = [
  ['BP-01', '[ACC17-crisis] [AHA25-GC] [AHA-pt]', 'high', true, true],
  ['BP-02', '[HYPO] [BEAT-HF]', 'medium', false, true],
  ['BP-03', '[BEAT-HF]', 'high', true, true],
  ['BP-04', '[BEAT-HF]', 'medium', false, true],
  ['HR-01', '[NEWS2-chart] [BEAT-HF]', 'high', true, true],
  ['HR-02', '[BEAT-HF] [TELBIL]', 'medium', false, true],
  ['SP-01', '[NEWS2-chart] [BTS17]', 'high', true, true],
  ['SP-02', '[NEWS2-chart]', 'medium', false, true],
  ['SP-03', '[BTS17] [BTS-T3] [NEWS2-scale]', 'medium', true, true],
  ['SP-04', '[NEWS2-chart]', 'high', true, true],
  ['SP-06', '[NEWS2-chart]', 'low', false, false],
  ['RR-01', '[NEWS2-chart]', 'high', true, true],
  ['RR-02', '[NEWS2-chart] [TELBIL]', 'medium', false, true],
  ['TM-01', '[FEVER] [NEWS2-chart]', 'medium', false, true],
  ['TM-02', '[NEWS2-chart]', 'high', true, true],
  ['TM-03', '[FEVER]', 'medium', false, false],
  ['GL-01', '[ADA-HYPO] [ADA-HYPO2]', 'high', false, true],
  ['GL-02', '[ADA-HYPO]', 'medium', false, true],
  ['GL-03', '[TIR19] [KET240]', 'medium', false, true],
  ['GL-04', '[KET300] [DEX-G4R]', 'high', true, true],
];

describe('DEFAULT_RULES', () => {
  it('parses as a rule set', () => {
    expect(RuleSet.parse(DEFAULT_RULES)).toEqual(DEFAULT_RULES);
  });

  it('holds exactly the section 0 rules of this task', () => {
    expect(DEFAULT_RULES.map((r) => r.id)).toEqual(SECTION_0.map(([id]) => id));
  });

  it.each(SECTION_0)('%s: source %s, %s, confirm %s, enabled %s', (id, source, severity, confirm, enabled) => {
    expect(DEFAULT_RULES.find((r) => r.id === id)).toMatchObject({ source, severity, confirm, enabledByDefault: enabled });
  });

  it.each<[string, string]>([
    ['BP-01', 'Systolic > 180 mm[Hg] or diastolic > 120 mm[Hg]'],
    ['BP-02', 'Systolic < 90 mm[Hg] or diastolic < 60 mm[Hg]'],
    ['BP-03', 'Systolic < 80 mm[Hg]'],
    ['BP-04', 'Systolic > 170 mm[Hg]'],
    ['HR-01', 'Heart rate ≥ 131 /min or heart rate ≤ 40 /min'],
    ['HR-02', 'Heart rate > 110 /min or heart rate < 50 /min'],
    ['SP-01', 'SpO2 ≤ 91 %'],
    ['SP-02', 'SpO2 > 91 and < 94 %'],
    ['SP-03', 'SpO2 < 88 %'],
    ['SP-04', 'SpO2 ≤ 85 %'],
    ['SP-06', 'SpO2 ≥ 97 %'],
    ['RR-01', 'Respiratory rate ≤ 8 /min or respiratory rate ≥ 25 /min'],
    ['RR-02', 'Respiratory rate > 20 and < 25 /min or respiratory rate < 12 /min'],
    ['TM-01', 'Temperature ≥ 38.0 Cel'],
    ['TM-02', 'Temperature ≤ 35.0 Cel'],
    ['TM-03', 'Temperature ≥ 37.8 Cel'],
    ['GL-01', 'Glucose < 54 mg/dL'],
    ['GL-02', 'Glucose ≥ 54 and < 70 mg/dL'],
    ['GL-03', 'Glucose > 250 mg/dL'],
    ['GL-04', 'Glucose ≥ 300 mg/dL'],
  ])('%s threshold reads "%s"', (id, text) => {
    expect(describeThreshold(DEFAULT_RULES.find((r) => r.id === id)!)).toBe(text);
  });

  it.each<[string, string]>([
    ['BP', LOINC.bloodPressurePanel],
    ['HR', LOINC.heartRate],
    ['SP', LOINC.spo2],
    ['RR', LOINC.respiratoryRate],
    ['TM', LOINC.bodyTemperature],
    ['GL', LOINC.glucose],
  ])('%s rules read %s', (prefix, code) => {
    const family = DEFAULT_RULES.filter((r) => r.id.startsWith(prefix));
    expect(family.length).toBeGreaterThan(0);
    for (const rule of family) expect(rule.vital).toBe(code);
  });

  it('supersession pairs', () => {
    const pairs = DEFAULT_RULES.flatMap((r) => r.supersedes.map((lesser) => `${r.id}>${lesser}`));
    expect(pairs.sort()).toEqual(['BP-01>BP-04', 'BP-03>BP-02', 'GL-04>GL-03', 'HR-01>HR-02', 'RR-01>RR-02', 'SP-04>SP-03']);
  });

  it('populations: HF-only BP-04, diabetes-only glucose, scale-gated SpO2, the rest for everyone', () => {
    const populations = Object.fromEntries(DEFAULT_RULES.map((r) => [r.id, r.population]));
    expect(populations['BP-04']).toEqual({ kind: 'programs', programs: ['heart_failure'] });
    for (const id of ['GL-01', 'GL-02', 'GL-03', 'GL-04']) expect(populations[id]).toEqual({ kind: 'programs', programs: ['diabetes'] });
    for (const id of ['SP-01', 'SP-02']) expect(populations[id]).toEqual({ kind: 'spo2_scale', scale: 1 });
    for (const id of ['SP-03', 'SP-04', 'SP-06']) expect(populations[id]).toEqual({ kind: 'spo2_scale', scale: 2 });
    for (const id of ['BP-01', 'BP-02', 'BP-03', 'HR-01', 'HR-02', 'RR-01', 'RR-02', 'TM-01', 'TM-02', 'TM-03']) {
      expect(populations[id]).toEqual({ kind: 'all' });
    }
  });

  it('only the rules that need a missing input are off, and they say what they need', () => {
    for (const rule of DEFAULT_RULES) {
      expect(rule.enabledByDefault).toBe(rule.requires.length === 0);
      if (!rule.enabledByDefault) expect(rule.note).toBeDefined();
    }
  });

  it('is frozen: nobody can tune the shared defaults in place', () => {
    const rule = DEFAULT_RULES[0]!;
    expect(Object.isFrozen(DEFAULT_RULES)).toBe(true);
    expect(Object.isFrozen(rule.conditions[0])).toBe(true);
    expect(() => {
      (rule as { severity: string }).severity = 'low';
    }).toThrow(TypeError);
  });
});

describe('singleReadingSeverity', () => {
  it.each<[Severity, boolean, Severity]>([
    ['high', true, 'medium'],
    ['medium', true, 'low'],
    ['low', true, 'low'],
    ['high', false, 'high'],
    ['medium', false, 'medium'],
    ['low', false, 'low'],
  ])('%s with confirm %s -> %s', (severity, confirm, expected) => {
    expect(singleReadingSeverity({ severity, confirm })).toBe(expected);
  });
});

describe('RuleDefinition / RuleSet reject bad data', () => {
  const rule = (overrides: Partial<RuleDefinitionInput> & Record<string, unknown> = {}): RuleDefinitionInput =>
    ({
      id: 'HR-90',
      title: 'test',
      source: '[TEST]',
      vital: LOINC.heartRate,
      conditions: [{ code: LOINC.heartRate, comparator: '>', threshold: 100 }],
      severity: 'medium',
      confirm: false,
      population: { kind: 'all' },
      enabledByDefault: true,
      ...overrides,
    }) as RuleDefinitionInput;

  it('accepts the minimal rule and fills defaults', () => {
    expect(RuleDefinition.parse(rule())).toMatchObject({ requires: [], supersedes: [] });
  });

  it.each<[string, Record<string, unknown>]>([
    ['a misspelt key', { superseeds: ['HR-02'] }],
    ['an id that is not XX-00', { id: 'hr1' }],
    ['sources without brackets', { source: 'NEWS2-chart' }],
    ['sources joined by a comma', { source: '[A], [B]' }],
    ['a non-LOINC vital', { vital: 'heart rate' }],
    ['no conditions', { conditions: [] }],
    ['an unknown comparator', { conditions: [{ code: LOINC.heartRate, comparator: '=>', threshold: 1 }] }],
    ['a non-finite threshold', { conditions: [{ code: LOINC.heartRate, comparator: '>', threshold: Infinity }] }],
    ['a band with two lower bounds', { conditions: [{ code: LOINC.heartRate, comparator: '>', threshold: 1, and: { comparator: '>=', threshold: 5 } }] }],
    ['an empty band', { conditions: [{ code: LOINC.heartRate, comparator: '>', threshold: 25, and: { comparator: '<', threshold: 20 } }] }],
    ['a severity outside the vocabulary', { severity: 'critical' }],
    ['an unknown programme', { population: { kind: 'programs', programs: ['asthma'] } }],
    ['an empty programme list', { population: { kind: 'programs', programs: [] } }],
    ['an SpO2 scale 3', { population: { kind: 'spo2_scale', scale: 3 } }],
    ['an unknown requirement', { requires: ['pregnancy'] }],
    ['a string boolean', { confirm: 'yes' }],
  ])('rejects %s', (_name, overrides) => {
    expect(RuleDefinition.safeParse(rule(overrides)).success).toBe(false);
  });

  it.each<[string, RuleDefinitionInput[], RegExp]>([
    ['duplicate ids', [rule(), rule()], /duplicate rule id HR-90/],
    ['an unknown vital', [rule({ vital: '1234-5', conditions: [{ code: '1234-5', comparator: '>', threshold: 1 }] })], /no rules can read vital 1234-5/],
    ['a condition on another vital', [rule({ conditions: [{ code: LOINC.spo2, comparator: '<', threshold: 90 }] })], /59408-5 is not a component of 8867-4/],
    ['a self-supersession', [rule({ supersedes: ['HR-90'] })], /supersedes itself/],
    ['an unknown superseded rule', [rule({ supersedes: ['HR-99'] })], /supersedes unknown rule HR-99/],
    [
      'supersession across vitals',
      [rule({ supersedes: ['SP-90'] }), rule({ id: 'SP-90', vital: LOINC.spo2, conditions: [{ code: LOINC.spo2, comparator: '<', threshold: 90 }] })],
      /reads another vital/,
    ],
    ['a lesser rule superseding a greater one', [rule({ supersedes: ['HR-91'] }), rule({ id: 'HR-91', severity: 'high' })], /supersedes the more severe HR-91/],
    [
      'a confirm rule superseding one that shows higher on a single reading',
      [rule({ severity: 'high', confirm: true, supersedes: ['HR-91'] }), rule({ id: 'HR-91', severity: 'high' })],
      /supersedes the more severe HR-91/,
    ],
    ['a supersession cycle', [rule({ supersedes: ['HR-91'] }), rule({ id: 'HR-91', supersedes: ['HR-90'] })], /supersession cycle/],
  ])('rejects a rule set with %s', (_name, rules, message) => {
    expect(() => parseRuleSet(rules)).toThrow(message);
  });

  it('rejects a BP condition on the panel code instead of a component', () => {
    const bp = rule({ vital: LOINC.bloodPressurePanel, conditions: [{ code: LOINC.bloodPressurePanel, comparator: '>', threshold: 180 }] });
    expect(() => parseRuleSet([bp])).toThrow(/85354-9 is not a component of 85354-9/);
  });
});
