import type { EffectiveProtocolResponse } from '@rpm/contracts';
import { draftOfSettings, editorRules, issueCount, parameterLabel, placeIssues, sameSettings, settingKey, settingsOfDraft, unparsedValues } from './settings-model';

type Rule = EffectiveProtocolResponse['rules'][number];

function aRule(overrides: Partial<Rule> = {}): Rule {
  return {
    id: 'BP-06',
    title: '7-day mean BP above home threshold',
    source: '[AHA25-sum]',
    kind: 'trend',
    severity: 'low',
    enabled: true,
    enabledProvenance: { source: 'programme', protocol: 'hypertension', version: 1 },
    applies: true,
    protocol: 'hypertension',
    version: 'hypertension v1',
    parameters: [
      { parameter: 'systolic', description: 'systolic ≥ 130 mm[Hg]', value: 130, unit: 'mm[Hg]', defaultValue: 130, code: '8480-6', provenance: { source: 'programme', protocol: 'hypertension', version: 1 } },
      { parameter: 'diastolic', description: 'diastolic ≥ 80 mm[Hg]', value: 80, unit: 'mm[Hg]', defaultValue: 80, code: '8462-4', provenance: { source: 'programme', protocol: 'hypertension', version: 1 } },
    ],
    ...overrides,
  };
}

const ad01 = aRule({
  id: 'AD-01',
  title: 'no reading within the expected cadence',
  kind: 'missing_data',
  parameters: [{ parameter: 'cadenceHours', description: 'no reading for ≥ 48 h', value: 48, unit: 'h', defaultValue: 48, code: null, provenance: { source: 'programme', protocol: 'hypertension', version: 1 } }],
});

describe('parameterLabel', () => {
  it.each([
    ['systolic > 180 mm[Hg]', 'systolic >'],
    ['weight change > 1.36 kg', 'weight change >'],
    ['weight change ≤ -0.91 kg', 'weight change ≤'],
    ['no reading for ≥ 48 h', 'no reading for ≥'],
  ])('%s -> %s', (description, label) => expect(parameterLabel(description)).toBe(label));
});

describe('editorRules', () => {
  it('bases a programme on the library defaults, and a rule switched by the published settings on the other state', () => {
    const rules = editorRules([aRule({ enabled: false, parameters: [{ ...aRule().parameters[0]!, value: 140 }] })], [{ ruleId: 'BP-06', enabled: false }], 'library');
    expect(rules[0]).toMatchObject({ id: 'BP-06', baseEnabled: true, parameters: [{ name: 'systolic', label: 'systolic ≥', base: 130, defaultValue: 130 }] });
  });

  it('bases a patient on the programme value, unknown where the patient overrides it', () => {
    const overridden = { ...aRule().parameters[0]!, value: 150, provenance: { source: 'patient_override' as const, protocol: 'patient', version: 2 } };
    const [rule] = editorRules([aRule({ parameters: [overridden, aRule().parameters[1]!] })], [{ ruleId: 'BP-06', parameter: 'systolic', value: 150 }], 'programme');
    expect(rule?.parameters.map((p) => p.base)).toEqual([null, 80]);
    expect(rule?.baseEnabled).toBe(true);
  });
});

describe('settingsOfDraft', () => {
  const rules = editorRules([aRule(), ad01], [], 'library');

  it('sends settings in the editor order (on/off first), keeps units and reasons, and maps each index back to its key', () => {
    const draft = draftOfSettings([
      { ruleId: 'AD-01', parameter: 'cadenceHours', value: 2, unit: 'd' },
      { ruleId: 'BP-06', parameter: 'diastolic', value: 95 },
      { ruleId: 'BP-06', enabled: false, reason: 'BP-05 covers it' },
      { ruleId: 'XX-99', parameter: 'conditions.0', value: 1 },
    ]);
    const { settings, keys } = settingsOfDraft(draft, rules);
    expect(keys).toEqual(['BP-06/enabled', 'BP-06/diastolic', 'AD-01/cadenceHours', 'XX-99/conditions.0']);
    expect(settings).toEqual([
      { ruleId: 'BP-06', enabled: false, reason: 'BP-05 covers it' },
      { ruleId: 'BP-06', parameter: 'diastolic', value: 95 },
      { ruleId: 'AD-01', parameter: 'cadenceHours', value: 2, unit: 'd' },
      { ruleId: 'XX-99', parameter: 'conditions.0', value: 1 },
    ]);
  });

  it('round-trips what it loaded, and finds values that are no number before the API is asked', () => {
    const loaded = [{ ruleId: 'BP-06', parameter: 'systolic', value: 12.5, unit: 'kPa' }];
    expect(settingsOfDraft(draftOfSettings(loaded), rules).settings).toEqual(loaded);
    const draft = new Map(draftOfSettings(loaded));
    draft.set(settingKey('BP-06', 'systolic'), { ...draft.get('BP-06/systolic')!, value: '12,5' });
    expect(unparsedValues(draft)).toEqual(['BP-06/systolic']);
    expect(JSON.stringify(settingsOfDraft(draft, rules).settings[0]?.value)).toBe('null');
  });
});

describe('placeIssues', () => {
  it('puts each issue beside the setting the API names by index, the change reason apart, the rest on the form', () => {
    const keys = ['BP-06/enabled', 'BP-06/systolic'];
    const placed = placeIssues(
      [
        { field: 'settings.1.value', reason: '400 mm[Hg] is outside the plausible range (CLINICAL.md 7.1) 40 to 300 mm[Hg]' },
        { field: 'settings.0.reason', reason: 'switching it off needs a reason' },
        { field: 'settings.0', reason: 'Unrecognized key' },
        { field: 'reason', reason: 'say why the protocol changes' },
        { field: 'settings.7.value', reason: 'not sent by this form' },
        { field: '(body)', reason: 'expected an object' },
      ],
      keys,
      'settings',
    );
    expect(placed.bySetting.get('BP-06/systolic')?.get('value')).toEqual(['400 mm[Hg] is outside the plausible range (CLINICAL.md 7.1) 40 to 300 mm[Hg]']);
    expect(placed.bySetting.get('BP-06/enabled')?.get('reason')).toEqual(['switching it off needs a reason']);
    expect(placed.bySetting.get('BP-06/enabled')?.get('')).toEqual(['Unrecognized key']);
    expect(placed.reason).toEqual(['say why the protocol changes']);
    expect(placed.general).toEqual(['settings.7.value: not sent by this form', 'expected an object']);
    expect(issueCount(placed)).toBe(6);
  });

  it('reads a patient\'s overrides list by its own name', () => {
    const placed = placeIssues([{ field: 'overrides.0.unit', reason: 'unit x cannot be converted' }], ['SP-02/conditions.0'], 'overrides');
    expect(placed.bySetting.get('SP-02/conditions.0')?.get('unit')).toEqual(['unit x cannot be converted']);
  });
});

describe('sameSettings', () => {
  it('ignores order, and sees any value, unit or reason change', () => {
    const a = [{ ruleId: 'BP-06', parameter: 'systolic', value: 140 }, { ruleId: 'BP-06', enabled: false, reason: 'x' }];
    expect(sameSettings(a, [...a].reverse())).toBe(true);
    expect(sameSettings(a, [{ ...a[0]!, value: 141 }, a[1]!])).toBe(false);
    expect(sameSettings(a, [{ ...a[0]!, unit: 'kPa' }, a[1]!])).toBe(false);
    expect(sameSettings(a, [a[0]!, { ...a[1]!, reason: 'y' }])).toBe(false);
  });
});
