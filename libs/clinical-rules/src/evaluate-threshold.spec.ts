import { AlertEvidence } from '@rpm/contracts';
import { DEFAULT_RULES } from './default-rules';
import { RETROSPECTIVE_AFTER_MS, evaluateReading, isRetrospective } from './evaluate-threshold';
import { parseRuleSet, type RuleDefinitionInput } from './rule-definition';
import {
  EVALUATED_AT,
  type Fired,
  type ObservationSpec,
  aPatient,
  anObservation,
  firedOn,
  hoursAfterMeasurement,
} from './testing/builders';

const everyone = aPatient({ programs: ['heart_failure', 'diabetes'], spo2Scale: 1 });
const scale2 = aPatient({ programs: ['copd', 'heart_failure', 'diabetes'], spo2Scale: 2 });

/** One reading that fires each default rule (alone, after supersession), with its patient. */
const TRIGGERS: Array<[ruleId: string, spec: ObservationSpec, patient: ReturnType<typeof aPatient>]> = [
  ['BP-01', { type: 'blood_pressure', systolic: 190, diastolic: 100 }, everyone],
  ['BP-02', { type: 'blood_pressure', systolic: 85, diastolic: 55 }, everyone],
  ['BP-03', { type: 'blood_pressure', systolic: 75, diastolic: 50 }, everyone],
  ['BP-04', { type: 'blood_pressure', systolic: 175, diastolic: 90 }, everyone],
  ['HR-01', { type: 'heart_rate', value: 140 }, everyone],
  ['HR-02', { type: 'heart_rate', value: 115 }, everyone],
  ['SP-01', { type: 'spo2', value: 90 }, everyone],
  ['SP-02', { type: 'spo2', value: 93 }, everyone],
  ['SP-03', { type: 'spo2', value: 87 }, scale2],
  ['SP-04', { type: 'spo2', value: 84 }, scale2],
  ['RR-01', { type: 'respiratory_rate', value: 28 }, everyone],
  ['RR-02', { type: 'respiratory_rate', value: 22 }, everyone],
  ['TM-01', { type: 'body_temperature', value: 38.5 }, everyone],
  ['TM-02', { type: 'body_temperature', value: 34.5 }, everyone],
  ['GL-01', { type: 'glucose', value: 50 }, everyone],
  ['GL-02', { type: 'glucose', value: 60 }, everyone],
  ['GL-03', { type: 'glucose', value: 270 }, everyone],
  ['GL-04', { type: 'glucose', value: 350 }, everyone],
];

/** Severity and kind on one fresh reading, and on one that arrived more than 24 h late. */
const EXPECTED: Record<string, { fresh: Fired; late: Fired }> = {
  'BP-01': { fresh: ['BP-01', 'recheck', 'medium'], late: ['BP-01', 'recheck', 'low'] },
  'BP-02': { fresh: ['BP-02', 'alert', 'medium'], late: ['BP-02', 'alert', 'low'] },
  'BP-03': { fresh: ['BP-03', 'recheck', 'medium'], late: ['BP-03', 'recheck', 'low'] },
  'BP-04': { fresh: ['BP-04', 'alert', 'medium'], late: ['BP-04', 'alert', 'low'] },
  'HR-01': { fresh: ['HR-01', 'recheck', 'medium'], late: ['HR-01', 'recheck', 'low'] },
  'HR-02': { fresh: ['HR-02', 'alert', 'medium'], late: ['HR-02', 'alert', 'low'] },
  'SP-01': { fresh: ['SP-01', 'recheck', 'medium'], late: ['SP-01', 'recheck', 'low'] },
  'SP-02': { fresh: ['SP-02', 'alert', 'medium'], late: ['SP-02', 'alert', 'low'] },
  'SP-03': { fresh: ['SP-03', 'recheck', 'low'], late: ['SP-03', 'recheck', 'low'] },
  'SP-04': { fresh: ['SP-04', 'recheck', 'medium'], late: ['SP-04', 'recheck', 'low'] },
  'RR-01': { fresh: ['RR-01', 'recheck', 'medium'], late: ['RR-01', 'recheck', 'low'] },
  'RR-02': { fresh: ['RR-02', 'alert', 'medium'], late: ['RR-02', 'alert', 'low'] },
  'TM-01': { fresh: ['TM-01', 'alert', 'medium'], late: ['TM-01', 'alert', 'low'] },
  'TM-02': { fresh: ['TM-02', 'recheck', 'medium'], late: ['TM-02', 'recheck', 'low'] },
  'GL-01': { fresh: ['GL-01', 'alert', 'high'], late: ['GL-01', 'alert', 'medium'] },
  'GL-02': { fresh: ['GL-02', 'alert', 'medium'], late: ['GL-02', 'alert', 'low'] },
  'GL-03': { fresh: ['GL-03', 'alert', 'medium'], late: ['GL-03', 'alert', 'low'] },
  'GL-04': { fresh: ['GL-04', 'recheck', 'medium'], late: ['GL-04', 'recheck', 'low'] },
};

describe('recheck downgrade (confirm rules on a single reading)', () => {
  it('every enabled default rule has a trigger in this table', () => {
    const enabled = DEFAULT_RULES.filter((r) => r.enabledByDefault).map((r) => r.id);
    expect(TRIGGERS.map(([id]) => id).sort()).toEqual([...enabled].sort());
  });

  it.each(TRIGGERS)('%s on one fresh reading', (ruleId, spec, patient) => {
    expect(firedOn(anObservation(spec), patient)).toEqual([EXPECTED[ruleId]?.fresh]);
  });

  it.each(TRIGGERS)('%s: confirm rules say "recheck requested", others do not', (ruleId, spec, patient) => {
    const rule = DEFAULT_RULES.find((r) => r.id === ruleId)!;
    const [firing] = evaluateReading(anObservation(spec), patient, EVALUATED_AT);
    expect(firing?.kind).toBe(rule.confirm ? 'recheck' : 'alert');
    expect(firing?.summary.endsWith(' — recheck requested')).toBe(rule.confirm);
  });
});

describe('DQ-02 retrospective downgrade (received more than 24 h after measurement)', () => {
  it.each(TRIGGERS)('%s arriving 30 h late drops one more level', (ruleId, spec, patient) => {
    const obs = anObservation({ ...spec, receivedAt: hoursAfterMeasurement(30) } as ObservationSpec);
    const firings = evaluateReading(obs, patient, EVALUATED_AT);
    expect(firings.map((f) => [f.ruleId, f.kind, f.severity])).toEqual([EXPECTED[ruleId]?.late]);
    expect(firings[0]?.retrospective).toBe(true);
    expect(firings[0]?.summary).toContain('retrospective');
  });

  it.each<[string, number, boolean]>([
    ['5 s', 5_000, false],
    ['exactly 24 h', RETROSPECTIVE_AFTER_MS, false],
    ['24 h + 1 ms', RETROSPECTIVE_AFTER_MS + 1, true],
    ['3 days', 3 * RETROSPECTIVE_AFTER_MS, true],
    ['measured 5 min after receipt (device clock ahead)', -300_000, false],
  ])('received %s after measurement -> retrospective %s', (_label, delayMs, expected) => {
    const measuredAt = '2026-03-02T08:15:00.000Z';
    const receivedAt = new Date(Date.parse(measuredAt) + delayMs).toISOString();
    expect(isRetrospective({ measuredAt, receivedAt })).toBe(expected);
    const [firing] = evaluateReading(anObservation({ type: 'heart_rate', value: 115, receivedAt }), aPatient(), EVALUATED_AT);
    expect(firing?.retrospective).toBe(expected);
    expect(firing?.severity).toBe(expected ? 'low' : 'medium');
  });

  it('says how late the reading was', () => {
    const obs = anObservation({ type: 'heart_rate', value: 135, receivedAt: hoursAfterMeasurement(30) });
    expect(evaluateReading(obs, aPatient(), EVALUATED_AT)[0]?.summary).toBe(
      'Heart rate 135 /min ≥ 131 (HR-01 heart rate in the NEWS2 3-point band) — recheck requested — retrospective: measured 30 h before it arrived',
    );
  });

  it('depends on receivedAt, not on the evaluation clock: a replay next week gives the same firings', () => {
    const obs = anObservation({ type: 'spo2', value: 90 });
    const nextWeek = new Date(EVALUATED_AT.getTime() + 7 * RETROSPECTIVE_AFTER_MS);
    expect(evaluateReading(obs, everyone, nextWeek)).toEqual(evaluateReading(obs, everyone, EVALUATED_AT));
  });
});

describe('evaluateReading', () => {
  it.each<[string, ObservationSpec]>([
    ['normal BP', { type: 'blood_pressure', systolic: 122, diastolic: 78 }],
    ['normal HR', { type: 'heart_rate', value: 72 }],
    ['normal SpO2', { type: 'spo2', value: 97 }],
    ['normal RR', { type: 'respiratory_rate', value: 16 }],
    ['normal temperature', { type: 'body_temperature', value: 36.8 }],
    ['normal glucose', { type: 'glucose', value: 110 }],
    ['any weight (trend rules only)', { type: 'body_weight', value: 400, unit: 'lb' }],
  ])('fires nothing on %s', (_name, spec) => {
    expect(firedOn(anObservation(spec), everyone)).toEqual([]);
  });

  it('evidence is valid AlertEvidence and points at the observation', () => {
    for (const [, spec, patient] of TRIGGERS) {
      const obs = anObservation(spec);
      for (const firing of evaluateReading(obs, patient, EVALUATED_AT)) {
        expect(firing.evidence.length).toBeGreaterThan(0);
        for (const e of firing.evidence) {
          expect(AlertEvidence.parse(e)).toEqual(e);
          expect(e).toMatchObject({ observationId: obs.observationId, measuredAt: obs.measuredAt });
        }
      }
    }
  });

  it('refuses a patient context that is not the observation\'s patient', () => {
    const obs = anObservation({ type: 'heart_rate', value: 140 });
    const other = aPatient({ patientId: '00000000-0000-4000-8000-000000000001' });
    expect(() => evaluateReading(obs, other, EVALUATED_AT)).toThrow(/another patient/);
  });

  describe('with a custom rule set', () => {
    const base: RuleDefinitionInput = {
      id: 'HR-91',
      title: 'test rule',
      source: '[TEST]',
      vital: '8867-4',
      conditions: [{ code: '8867-4', comparator: '>', threshold: 100 }],
      severity: 'low',
      confirm: false,
      population: { kind: 'all' },
      enabledByDefault: true,
    };

    it('skips disabled rules', () => {
      const rules = parseRuleSet([{ ...base, enabledByDefault: false }]);
      expect(firedOn(anObservation({ type: 'heart_rate', value: 120 }), aPatient(), rules)).toEqual([]);
    });

    it('without supersession both rules fire, in rule-set order', () => {
      const rules = parseRuleSet([
        { ...base, id: 'HR-92', severity: 'medium' },
        { ...base, id: 'HR-91' },
      ]);
      expect(firedOn(anObservation({ type: 'heart_rate', value: 120 }), aPatient(), rules)).toEqual([
        ['HR-92', 'alert', 'medium'],
        ['HR-91', 'alert', 'low'],
      ]);
    });

    it('supersession only removes the lesser rule when the greater one fires', () => {
      const rules = parseRuleSet([
        { ...base, id: 'HR-92', severity: 'medium', supersedes: ['HR-91'], conditions: [{ code: '8867-4', comparator: '>', threshold: 150 }] },
        base,
      ]);
      expect(firedOn(anObservation({ type: 'heart_rate', value: 120 }), aPatient(), rules)).toEqual([['HR-91', 'alert', 'low']]);
      expect(firedOn(anObservation({ type: 'heart_rate', value: 160 }), aPatient(), rules)).toEqual([['HR-92', 'alert', 'medium']]);
    });

    it('a low confirm rule stays low as a recheck', () => {
      const rules = parseRuleSet([{ ...base, confirm: true }]);
      expect(firedOn(anObservation({ type: 'heart_rate', value: 120 }), aPatient(), rules)).toEqual([['HR-91', 'recheck', 'low']]);
    });

    it('shows a tuned non-integer threshold as written; the value keeps its unit precision', () => {
      const rules = parseRuleSet([{ ...base, conditions: [{ code: '8867-4', comparator: '>', threshold: 100.5 }] }]);
      const [firing] = evaluateReading(anObservation({ type: 'heart_rate', value: 100.6 }), aPatient(), EVALUATED_AT, rules);
      expect(firing).toMatchObject({ threshold: 'Heart rate > 100.5 /min', summary: 'Heart rate 101 /min > 100.5 (HR-91 test rule)' });
    });
  });
});
