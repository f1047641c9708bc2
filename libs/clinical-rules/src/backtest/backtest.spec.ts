import type { ObservationV1, Program, ProtocolOverride } from '@rpm/contracts';
import { alertKey } from '../alert-key';
import { resolveProtocol } from '../protocols';
import { anObservation } from '../testing/builders';
import { backtest, replayPatient } from './backtest';

const T0 = Date.parse('2026-03-02T13:00:00.000Z');
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();
const [A, B, C] = ['3f2b8c1e-5d4a-4e6b-9c7d-00000000000a', '3f2b8c1e-5d4a-4e6b-9c7d-00000000000b', '3f2b8c1e-5d4a-4e6b-9c7d-00000000000c'];

const protocol = (programs: Program[], overrides: ProtocolOverride[] = [], version = 1) =>
  resolveProtocol({ programs, spo2Scale: 1, timezone: 'America/New_York', version, overrides });
const override = (ruleId: string, value: number): ProtocolOverride => ({ ruleId, parameter: 'conditions.0', value, setBy: 'lead', setAt: at(0), version: 2 });

function reading(patientId: string, messageId: string, minutes: number, spec: { type: 'spo2' | 'heart_rate'; value: number }): ObservationV1 {
  return anObservation({ ...spec, patientId, messageId, measuredAt: at(minutes) });
}

/**
 * A fixed history, worked out by hand (current protocol vs a draft that lowers SpO2 limits for
 * everyone to 89 % and HR-02's upper limit to 70 /min):
 *  A: SpO2 93 (SP-02 both), 95, then a day later 90 and 90 three minutes on. Current: SP-01
 *     recheck, confirmed on the same episode. Draft: 90 is inside SP-02's band (> 89, < 94),
 *     whose episode is still open: no new alert. SP-01 disappears; the nurse had called the patient.
 *  B (heart failure): HR 115: HR-02 in both; silent for the rest of the period: AD-01 in both.
 *  C: HR 72 only: nothing now; HR-02 under the draft (> 70): newly alerted.
 */
const history: Readonly<Record<'A' | 'B' | 'C', readonly ObservationV1[]>> = {
  A: [
    reading(A, 'a1', 0, { type: 'spo2', value: 93 }),
    reading(A, 'a2', 10, { type: 'spo2', value: 95 }),
    reading(A, 'a3', 1440, { type: 'spo2', value: 90 }),
    reading(A, 'a4', 1443, { type: 'spo2', value: 90.4 }),
  ],
  B: [reading(B, 'b1', 0, { type: 'heart_rate', value: 115 })],
  C: [reading(C, 'c1', 0, { type: 'heart_rate', value: 72 })],
};

const draftOverrides = [override('SP-01', 89), override('SP-02', 89)];

function run(dispositions = new Map<string, string>()) {
  return backtest({
    from: new Date(T0 - 60_000),
    to: new Date(T0 + 3 * 86_400_000 - 60_000),
    dispositions,
    patients: [
      { patientId: A, history: history.A, current: protocol([]), draft: protocol([], draftOverrides, 2) },
      { patientId: B, history: history.B, current: protocol(['heart_failure']), draft: protocol(['heart_failure'], draftOverrides, 2) },
      { patientId: C, history: history.C, current: protocol([]), draft: protocol([], [...draftOverrides, override('HR-02', 70)], 2) },
    ],
  });
}

describe('backtest: current protocol vs draft on a fixed history', () => {
  it('counts alerts per rule and severity and per patient-day', () => {
    const result = run();
    expect(result.complete).toBe(true);
    expect(result.patientDays).toBe(9);
    expect(result.perRule).toEqual([
      { ruleId: 'AD-01', severity: 'low', current: 1, draft: 1 },
      { ruleId: 'HR-02', severity: 'medium', current: 1, draft: 2 },
      { ruleId: 'SP-01', severity: 'medium', current: 1, draft: 0 },
      { ruleId: 'SP-02', severity: 'medium', current: 1, draft: 1 },
    ]);
    expect(result.alertsPerPatientDay).toEqual({ current: 4 / 9, draft: 4 / 9 });
    expect(result.patientsNewlyAlerted).toEqual([C]);
    expect(result.patientsNoLongerAlerted).toEqual([]);
  });

  it('lists the alerts that would disappear, flagged where the nurse acted on them, and those that would appear', () => {
    const sp01 = alertKey(A, 'SP-01', history.A[2]!.observationId);
    const result = run(new Map([[sp01, 'contacted_patient']]));
    expect(result.disappearing.map((a) => [a.patientId, a.ruleId, a.alertKey, a.disposition, a.clinical])).toEqual([[A, 'SP-01', sp01, 'contacted_patient', true]]);
    expect(result.appearing.map((a) => [a.patientId, a.ruleId, a.observations.map((o) => o.value)])).toEqual([[C, 'HR-02', [72]]]);
    const noAction = run(new Map([[sp01, 'measurement_or_device_error']]));
    expect(noAction.disappearing[0]).toMatchObject({ disposition: 'measurement_or_device_error', clinical: false });
  });

  it('reports progress and stops when cancelled, saying it is incomplete', () => {
    const seen: number[] = [];
    let calls = 0;
    const result = backtest({
      from: new Date(T0),
      to: new Date(T0 + 86_400_000),
      patients: (['A', 'B', 'C'] as const).map((name) => ({ patientId: { A, B, C }[name], history: history[name], current: protocol([]), draft: protocol([]) })),
      onProgress: (done) => seen.push(done),
      shouldContinue: () => ++calls <= 2,
    });
    expect(seen).toEqual([1, 2]);
    expect(result).toMatchObject({ complete: false, patients: 2 });
  });
});

describe('replayPatient: the rules engine\'s order', () => {
  it('replays readings in the order given (as Kafka delivered them), not by receivedAt, so the keys are the live ones', () => {
    // The gateway held the first reading back (its device's binding was not known yet): it reached
    // Kafka after a younger one, which the rules engine evaluated first and alerted on.
    const heldBack = anObservation({ type: 'spo2', value: 93, patientId: A, messageId: 'held-back', measuredAt: at(0), receivedAt: at(0.1) });
    const younger = anObservation({ type: 'spo2', value: 92, patientId: A, messageId: 'younger', measuredAt: at(1), receivedAt: at(1.1) });
    const alerts = replayPatient(A, [younger, heldBack], protocol([]), { to: new Date(T0 + 3_600_000) });
    expect(alerts.map((a) => a.alertKey)).toEqual([alertKey(A, 'SP-02', younger.observationId)]);
  });
});
