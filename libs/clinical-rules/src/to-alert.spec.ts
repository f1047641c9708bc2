import { AlertRaisedV1 } from '@rpm/contracts';
import { alertKey } from './alert-key';
import { evaluateReading } from './evaluate-threshold';
import { toAlertRaised } from './to-alert';
import { EVALUATED_AT, aPatient, anObservation } from './testing/builders';

describe('toAlertRaised', () => {
  it('builds an rpm.alerts.v1 event that passes the contract', () => {
    const obs = anObservation({ type: 'blood_pressure', systolic: 190, diastolic: 125 });
    const [firing] = evaluateReading(obs, aPatient(), EVALUATED_AT);
    const event = toAlertRaised(firing!, obs, EVALUATED_AT);
    expect(AlertRaisedV1.parse(event)).toEqual(event);
    expect(event).toMatchObject({
      alertKey: alertKey(obs.patientId, 'BP-01', obs.observationId),
      ruleId: 'BP-01',
      severity: 'medium',
      kind: 'recheck',
      measuredAt: obs.measuredAt,
      evaluatedAt: EVALUATED_AT.toISOString(),
    });
    expect(event.observations).toHaveLength(2);
  });

  it('gives a replayed reading the same key, whenever it is evaluated', () => {
    const obs = anObservation({ type: 'spo2', value: 90 });
    const later = new Date(EVALUATED_AT.getTime() + 3_600_000);
    const first = toAlertRaised(evaluateReading(obs, aPatient(), EVALUATED_AT)[0]!, obs, EVALUATED_AT);
    const replay = toAlertRaised(evaluateReading(obs, aPatient(), later)[0]!, obs, later);
    expect(replay.alertKey).toBe(first.alertKey);
  });
});
