import type { Program, ProtocolOverride } from '@rpm/contracts';
import { DEFAULT_RULES } from '../default-rules';
import { TREND_RULES } from '../trends';
import { PROGRAMME_PROTOCOLS, defaultSpo2Scale } from './programme-protocols';
import { resolveProtocol, validateOverrides, validateProgrammeSettings } from './resolve-protocol';

const SET_AT = '2026-03-02T08:00:00.000Z';

const override = (o: Partial<ProtocolOverride> & Pick<ProtocolOverride, 'ruleId'>): ProtocolOverride => ({ setBy: 'lead-1', setAt: SET_AT, version: 2, ...o });
const resolve = (programs: Program[], overrides: ProtocolOverride[] = []) =>
  resolveProtocol({ programs, spo2Scale: defaultSpo2Scale(programs), timezone: 'America/New_York', version: 2, overrides });
const ids = (programs: Program[]) => resolve(programs).rules.filter((r) => r.enabled).map((r) => r.id);

describe('programme protocols (version 1)', () => {
  it('gives every patient the general rules and NEWS2, and each programme its own rules and AD-01 at 48 h', () => {
    expect(ids([])).toEqual(expect.arrayContaining(['BP-01', 'BP-02', 'BP-03', 'HR-01', 'HR-02', 'SP-01', 'SP-02', 'RR-01', 'RR-02', 'TM-01', 'TM-02', 'SP-05', 'EW-01', 'EW-02', 'EW-03']));
    expect(ids([])).not.toEqual(expect.arrayContaining(['AD-01']));
    expect(resolve([]).missingData).toBeNull();
    expect(ids(['heart_failure'])).toEqual(expect.arrayContaining(['BP-04', 'HF-01', 'HF-02', 'HF-04', 'AD-01']));
    expect(ids(['heart_failure'])).not.toContain('HF-03');
    expect(resolve(['heart_failure']).rules.find((r) => r.id === 'HF-03')).toMatchObject({ enabled: false, protocol: 'heart_failure' });
    expect(ids(['hypertension'])).toEqual(expect.arrayContaining(['BP-05', 'BP-06', 'AD-01']));
    expect(ids(['diabetes'])).toEqual(expect.arrayContaining(['GL-01', 'GL-02', 'GL-03', 'GL-04', 'AD-01']));
    expect(resolve(['copd']).missingData).toEqual({ cadenceMs: 48 * 3_600_000 });
  });

  it('covers every rule of the library exactly once across the protocols', () => {
    const selected = Object.values(PROGRAMME_PROTOCOLS).flatMap((p) => p.rules.filter((id) => id !== 'AD-01'));
    const library = [...DEFAULT_RULES, ...TREND_RULES].map((r) => r.id);
    expect(new Set(selected)).toEqual(new Set([...library, 'EW-01', 'EW-02', 'EW-03']));
    expect(selected).toHaveLength(new Set(selected).size);
  });

  it('puts COPD patients on SpO2 scale 2 unless the clinician chose otherwise', () => {
    expect(defaultSpo2Scale(['copd'])).toBe(2);
    expect(defaultSpo2Scale(['heart_failure', 'copd'])).toBe(2);
    expect(defaultSpo2Scale(['heart_failure'])).toBe(1);
  });
});

describe('effective protocol with provenance', () => {
  it('says where every value came from: programme default or patient override with its version', () => {
    const protocol = resolve(['heart_failure'], [override({ ruleId: 'HF-01', parameter: 'changes.0', value: 2, unit: 'lb', reason: 'small frame' })]);
    const hf01 = protocol.rules.find((r) => r.id === 'HF-01')!;
    expect(hf01.version).toBe('heart_failure v1 + patient v2');
    expect(hf01.parameters).toEqual([
      expect.objectContaining({ parameter: 'changes.0', unit: 'kg', defaultValue: 1.36, provenance: { source: 'patient_override', protocol: 'patient', version: 2, setBy: 'lead-1', setAt: SET_AT, reason: 'small frame' } }),
    ]);
    expect(hf01.parameters[0]!.value).toBeCloseTo(0.907, 3);
    const bp01 = protocol.rules.find((r) => r.id === 'BP-01')!;
    expect(bp01.version).toBe('general v1');
    expect(bp01.parameters.map((p) => [p.parameter, p.description, p.provenance.source])).toEqual([
      ['conditions.0', 'systolic > 180 mm[Hg]', 'programme'],
      ['conditions.1', 'diastolic > 120 mm[Hg]', 'programme'],
    ]);
    const trend = protocol.trendRules.find((r) => r.id === 'HF-01');
    expect(trend?.measure === 'weight_change' && trend.changes[0]!.threshold).toBeCloseTo(0.907, 3);
  });

  it('switches a rule on or off per patient (HF-03 for a sensitive profile, SP-05 off with a reason)', () => {
    const protocol = resolve(['heart_failure'], [override({ ruleId: 'HF-03', enabled: true }), override({ ruleId: 'SP-05', enabled: false, reason: 'chronic low SpO2' })]);
    expect(protocol.trendRules.map((r) => r.id)).toContain('HF-03');
    expect(protocol.trendRules.map((r) => r.id)).not.toContain('SP-05');
    expect(protocol.rules.find((r) => r.id === 'SP-05')?.enabledProvenance).toMatchObject({ source: 'patient_override', reason: 'chronic low SpO2' });
  });

  it('converts thresholds given in device units (degF, mmol/L, kPa)', () => {
    const protocol = resolve(['diabetes'], [
      override({ ruleId: 'TM-01', parameter: 'conditions.0', value: 100.9, unit: 'degF' }),
      override({ ruleId: 'GL-03', parameter: 'conditions.0', value: 15, unit: 'mmol/L' }),
      override({ ruleId: 'BP-01', parameter: 'conditions.0', value: 23, unit: 'kPa' }),
    ]);
    const value = (id: string) => protocol.rules.find((r) => r.id === id)!.parameters[0]!.value;
    expect(value('TM-01')).toBeCloseTo(38.278, 3);
    expect(value('GL-03')).toBeCloseTo(270.24, 2);
    expect(value('BP-01')).toBeCloseTo(172.51, 2);
  });
});

describe('override validation: field-level errors', () => {
  const issues = (programs: Program[], overrides: Omit<ProtocolOverride, 'setBy' | 'setAt' | 'version'>[]) => validateOverrides(programs, overrides);

  it.each([
    [[{ ruleId: 'GL-01', parameter: 'conditions.0', value: 60 }], 'overrides.0.ruleId', "rule GL-01 is not in this patient's protocols (general)"],
    [[{ ruleId: 'BP-01', parameter: 'conditions.7', value: 170 }], 'overrides.0.parameter', 'BP-01 has no parameter conditions.7; it has conditions.0, conditions.1'],
    [[{ ruleId: 'BP-01', parameter: 'conditions.0', value: 170, unit: 'psi' }], 'overrides.0.unit', 'unit psi cannot be converted to mm[Hg]; use one of mm[Hg], mmHg, kPa'],
    [[{ ruleId: 'BP-01', parameter: 'conditions.0', value: 400 }], 'overrides.0.value', '400 mm[Hg] is outside the plausible range (CLINICAL.md 7.1) 40 to 300 mm[Hg]'],
    [[{ ruleId: 'SP-02', parameter: 'conditions.0', value: 95 }], 'overrides.0.value', 'SP-02 conditions.0: the band would be empty: a band needs one lower (> or >=) and one upper (< or <=) bound, lower below upper'],
    [[{ ruleId: 'SP-01', enabled: false }], 'overrides.0.reason', 'SP-01 is a high-severity rule: switching it off needs a reason'],
    [[{ ruleId: 'SP-01' }], 'overrides.0.enabled', 'an override sets either a parameter and its value, or enabled'],
    [[{ ruleId: 'SP-01', parameter: 'conditions.0' }], 'overrides.0.value', 'a parameter override needs a value'],
    [[{ ruleId: 'EW-01', parameter: 'minAggregate', value: 6 }], 'overrides.0.parameter', 'EW-01 has no tunable parameters'],
    [
      [
        { ruleId: 'TM-01', parameter: 'conditions.0', value: 38.3 },
        { ruleId: 'TM-01', parameter: 'conditions.0', value: 38.5 },
      ],
      'overrides.1.parameter',
      'TM-01/conditions.0 is set twice',
    ],
  ])('%j -> %s: %s', (overrides, path, message) => {
    expect(issues([], overrides)).toEqual([{ path, message }]);
  });

  it('checks programme rules and cadences too', () => {
    expect(issues(['hypertension'], [{ ruleId: 'BP-05', parameter: 'systolic', value: 85 }])).toEqual([
      { path: 'overrides.0.value', message: 'BP-05 systolic: the systolic mean threshold must be above the diastolic one' },
    ]);
    expect(issues(['copd'], [{ ruleId: 'AD-01', parameter: 'cadenceHours', value: 0.5 }])).toEqual([
      { path: 'overrides.0.value', message: '0.5 h is outside the accepted range 1 to 720 h' },
    ]);
    expect(issues(['heart_failure'], [{ ruleId: 'HF-01', parameter: 'changes.0', value: 3, unit: 'lb' }, { ruleId: 'SP-01', enabled: false, reason: 'on home oxygen' }])).toEqual([]);
  });
});

describe('published programme protocols (issue 5)', () => {
  const setting = (o: Partial<ProtocolOverride> & Pick<ProtocolOverride, 'ruleId'>): ProtocolOverride => ({ setBy: 'lead-2', setAt: SET_AT, version: 3, reason: 'programme review', ...o });

  it('applies a programme version over the rule defaults, named in provenance and version, with patient overrides on top', () => {
    const protocol = resolveProtocol({
      programs: ['heart_failure'],
      spo2Scale: 1,
      timezone: 'America/New_York',
      version: 2,
      programmeVersions: { heart_failure: { version: 3, settings: [setting({ ruleId: 'HF-01', parameter: 'changes.0', value: 0.91 }), setting({ ruleId: 'HF-03', enabled: true })] } },
      overrides: [override({ ruleId: 'BP-04', parameter: 'conditions.0', value: 160 })],
    });
    const hf01 = protocol.rules.find((r) => r.id === 'HF-01')!;
    expect(hf01.version).toBe('heart_failure v3');
    expect(hf01.parameters[0]).toMatchObject({ value: 0.91, defaultValue: 1.36, provenance: { source: 'programme', protocol: 'heart_failure', version: 3, setBy: 'lead-2', reason: 'programme review' } });
    expect(protocol.rules.find((r) => r.id === 'HF-03')).toMatchObject({ enabled: true, enabledProvenance: { source: 'programme', version: 3 } });
    expect(protocol.rules.find((r) => r.id === 'BP-04')?.version).toBe('heart_failure v3 + patient v2');
    expect(protocol.rules.find((r) => r.id === 'BP-01')?.version).toBe('general v1');
  });

  it('validates a programme draft: only that protocol\'s rules, with the same field-level checks', () => {
    expect(validateProgrammeSettings('heart_failure', [{ ruleId: 'HF-01', parameter: 'changes.0', value: 2, unit: 'lb' }])).toEqual([]);
    expect(validateProgrammeSettings('heart_failure', [{ ruleId: 'SP-01', parameter: 'conditions.0', value: 90 }])).toEqual([
      { path: 'settings.0.ruleId', message: 'rule SP-01 is not in the heart_failure protocol' },
    ]);
    expect(validateProgrammeSettings('general', [{ ruleId: 'SP-01', parameter: 'conditions.0', value: 101 }, { ruleId: 'RR-01', enabled: false }])).toEqual([
      { path: 'settings.0.value', message: '101 % is outside the plausible range (CLINICAL.md 7.1) 0 to 100 %' },
      { path: 'settings.1.reason', message: 'RR-01 is a high-severity rule: switching it off needs a reason' },
    ]);
  });

  it('lets every daily programme set AD-01; for a patient in two, the shorter cadence wins and is named', () => {
    const both = (hf: number, copd: number) =>
      resolveProtocol({
        programs: ['heart_failure', 'copd'],
        spo2Scale: 2,
        timezone: 'America/New_York',
        version: 1,
        programmeVersions: {
          heart_failure: { version: 2, settings: [setting({ ruleId: 'AD-01', parameter: 'cadenceHours', value: hf })] },
          copd: { version: 4, settings: [setting({ ruleId: 'AD-01', parameter: 'cadenceHours', value: copd })] },
        },
      });
    expect(validateProgrammeSettings('copd', [{ ruleId: 'AD-01', parameter: 'cadenceHours', value: 24 }])).toEqual([]);
    expect(both(36, 24).missingData).toEqual({ cadenceMs: 24 * 3_600_000 });
    expect(both(36, 24).rules.find((r) => r.id === 'AD-01')).toMatchObject({ version: 'copd v4', parameters: [expect.objectContaining({ value: 24, provenance: expect.objectContaining({ protocol: 'copd', version: 4 }) })] });
    expect(both(12, 24).missingData).toEqual({ cadenceMs: 12 * 3_600_000 });
    expect(both(12, 24).rules.find((r) => r.id === 'AD-01')?.version).toBe('heart_failure v2');
    expect(both(12, 24).issues).toEqual([]);
  });
});
