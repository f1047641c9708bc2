import { randomUUID } from 'node:crypto';
import { alertKey } from '@rpm/clinical-rules';
import { Topics, type AlertRaisedV1, type ObservationV1, type PatientProtocolV1 } from '@rpm/contracts';
import { BatchingProducer } from '@rpm/kafka';
import {
  ApiClient,
  aPatientProtocol,
  aReading,
  anObservation,
  newRunId,
  startServiceUnderTest,
  testKafka,
  TopicRecorder,
  type ServiceProcess,
} from '@rpm/testing';

const PORT = 14010;
const HOUR_MS = 3_600_000;

/** rules-engine as a real process: protocols and observations in, rpm.alerts.v1 out, all on real Kafka. */
describe('rules-engine', () => {
  const runId = newRunId('int-re');
  const kafka = testKafka(runId);
  const producer = new BatchingProducer(kafka);
  let alerts: TopicRecorder<typeof Topics.alerts.schema>;
  let service: ServiceProcess;

  beforeAll(async () => {
    await producer.connect();
    alerts = await TopicRecorder.start(kafka, Topics.alerts, `${runId}-alerts`);
    service = await startServiceUnderTest({ name: 'rules-engine', runId, port: PORT, kafka });
  });

  afterAll(async () => {
    await service?.stop();
    await alerts?.stop();
    await producer.disconnect();
  });

  const publishProtocol = (protocol: PatientProtocolV1) => producer.publish(Topics.rulesConfig, [{ key: protocol.patientId, value: protocol }]);

  const publish = (...observations: ObservationV1[]) =>
    producer.publish(Topics.observations, observations.map((o) => ({ key: o.patientId, value: o })));

  /**
   * The patient's alerts, once per alert key. Another rules engine on the shared cluster (a
   * running demo) evaluates the same observations and writes the very same alerts.
   */
  const alertsOf = (patientId: string) =>
    [...new Map(alerts.values((a) => a.patientId === patientId).map((a) => [a.alertKey, a] as const)).values()];

  /**
   * Waits for the alert of a tachycardic reading published after everything else for the
   * patient: one partition, evaluated in order, so anything earlier has been evaluated too.
   */
  async function evaluatedSoFar(patientId: string): Promise<AlertRaisedV1[]> {
    const barrier = anObservation({ patientId, reading: aReading({ type: 'heart_rate', value: 118 }) });
    await publish(barrier);
    await alerts.waitFor((a) => a.observations.some((o) => o.observationId === barrier.observationId), { what: 'the barrier alert' });
    return alertsOf(patientId).filter((a) => a.observations.every((o) => o.observationId !== barrier.observationId));
  }

  it('raises an alert with the deterministic key, and the same key when the observation comes again', async () => {
    const protocol = aPatientProtocol({ programs: ['heart_failure'] });
    await publishProtocol(protocol);
    const observation = anObservation({ patientId: protocol.patientId, reading: aReading({ type: 'heart_rate', value: 118 }) });

    await publish(observation);
    const [first] = await alerts.waitFor((a) => a.patientId === protocol.patientId);
    const once = alerts.values((a) => a.patientId === protocol.patientId).length;
    await publish(observation);
    const again = await alerts.waitFor((a) => a.patientId === protocol.patientId, { count: once + 1 });

    expect(first).toEqual(
      expect.objectContaining({
        alertKey: alertKey(protocol.patientId, 'HR-02', observation.observationId),
        ruleId: 'HR-02',
        severity: 'medium',
        kind: 'alert',
        retrospective: false,
        measuredAt: observation.measuredAt,
        observations: [expect.objectContaining({ observationId: observation.observationId, code: '8867-4', value: 118, unit: '/min' })],
      }),
    );
    expect(new Set(again.map((a) => a.alertKey))).toEqual(new Set([first!.alertKey]));
  });

  it('judges SpO2 on scale 2 for a COPD patient (SP-03/SP-04) and on scale 1 otherwise (SP-01/SP-02)', async () => {
    const copd = aPatientProtocol({ programs: ['copd'], spo2Scale: 2 });
    const scale1 = aPatientProtocol({ programs: ['heart_failure'], spo2Scale: 1 });
    await Promise.all([publishProtocol(copd), publishProtocol(scale1)]);
    const spo2 = (patientId: string, value: number) => anObservation({ patientId, reading: aReading({ type: 'spo2', value }) });

    await publish(spo2(copd.patientId, 84), spo2(copd.patientId, 87), spo2(copd.patientId, 93));
    await publish(spo2(scale1.patientId, 84), spo2(scale1.patientId, 93));

    const copdAlerts = await evaluatedSoFar(copd.patientId);
    const scale1Alerts = await evaluatedSoFar(scale1.patientId);
    expect(copdAlerts.map((a) => [a.ruleId, a.severity, a.kind])).toEqual([
      ['SP-04', 'medium', 'recheck'],
      ['SP-03', 'low', 'recheck'],
    ]);
    expect(scale1Alerts.map((a) => [a.ruleId, a.severity, a.kind])).toEqual([
      ['SP-01', 'medium', 'recheck'],
      ['SP-02', 'medium', 'alert'],
    ]);
  });

  it('raises nothing for normal readings', async () => {
    const protocol = aPatientProtocol({ programs: ['hypertension', 'diabetes'] });
    await publishProtocol(protocol);
    const patientId = protocol.patientId;

    await publish(
      anObservation({ patientId, reading: aReading({ type: 'blood_pressure', systolic: 122, diastolic: 78 }) }),
      anObservation({ patientId, reading: aReading({ type: 'heart_rate', value: 72 }) }),
      anObservation({ patientId, reading: aReading({ type: 'spo2', value: 97 }) }),
      anObservation({ patientId, reading: aReading({ type: 'glucose', value: 110 }) }),
      anObservation({ patientId, reading: aReading({ type: 'body_temperature', value: 36.8 }) }),
      anObservation({ patientId, reading: aReading({ type: 'respiratory_rate', value: 16 }) }),
    );

    expect(await evaluatedSoFar(patientId)).toEqual([]);
  });

  it('downgrades and tags a reading that arrived more than 24 h after it was measured', async () => {
    const protocol = aPatientProtocol({ programs: ['heart_failure'] });
    await publishProtocol(protocol);
    const now = Date.now();
    const late = anObservation({
      patientId: protocol.patientId,
      reading: aReading({ type: 'heart_rate', value: 118 }),
      measuredAt: new Date(now - 30 * HOUR_MS),
      receivedAt: new Date(now),
    });

    await publish(late);

    const [alert] = await alerts.waitFor((a) => a.patientId === protocol.patientId);
    expect(alert).toEqual(expect.objectContaining({ ruleId: 'HR-02', severity: 'low', retrospective: true, measuredAt: late.measuredAt }));
    expect(alert!.summary).toContain('retrospective: measured 30 h before it arrived');
  });

  it('evaluates a patient with no protocol by the rules for everyone', async () => {
    const patientId = randomUUID();

    await publish(
      anObservation({ patientId, reading: aReading({ type: 'blood_pressure', systolic: 175, diastolic: 95 }) }), // BP-04: heart failure only
      anObservation({ patientId, reading: aReading({ type: 'spo2', value: 84 }) }),
      anObservation({ patientId, reading: aReading({ type: 'glucose', value: 45 }) }), // GL-01: diabetes only
    );

    expect((await evaluatedSoFar(patientId)).map((a) => a.ruleId)).toEqual(['SP-01']);
  });

  it('reports readiness once the protocol table is loaded', async () => {
    const res = await new ApiClient(`http://127.0.0.1:${PORT}`).get('/readyz');
    expect(res).toEqual({ status: 200, body: { status: 'ready', checks: { kafka: true, 'patient-protocols': true, 'observations-consumer': true } } });
  });
});
