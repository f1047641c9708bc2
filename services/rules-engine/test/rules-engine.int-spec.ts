import { randomUUID } from 'node:crypto';
import { alertKey } from '@rpm/clinical-rules';
import { Topics, programmeProtocolKey, type AlertRaisedV1, type AlertSignalV1, type ObservationV1, type PatientProtocolV1 } from '@rpm/contracts';
import { BatchingProducer, deleteTopicsWithPrefix } from '@rpm/kafka';
import {
  ApiClient,
  aPatientProtocol,
  aReading,
  anObservation,
  newRunId,
  runStateTopic,
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
    service = await startServiceUnderTest({ name: 'rules-engine', runId, port: PORT, kafka, env: { RULES_ENGINE_MANUAL_CLOCK: 'true' } });
  });

  afterAll(async () => {
    await service?.stop();
    await alerts?.stop();
    await producer.disconnect();
    await deleteTopicsWithPrefix(kafka, runStateTopic(runId));
  });

  const isRaised = (s: AlertSignalV1): s is AlertRaisedV1 => s.schema === 'rpm.alert-raised.v1';

  const publishProtocol = (protocol: PatientProtocolV1) => producer.publish(Topics.rulesConfig, [{ key: protocol.patientId, value: protocol }]);

  const publish = (...observations: ObservationV1[]) =>
    producer.publish(Topics.observations, observations.map((o) => ({ key: o.patientId, value: o })));

  /**
   * The patient's alerts, once per alert key. Another rules engine on the shared cluster (a
   * running demo) evaluates the same observations and writes the very same alerts.
   */
  const alertsOf = (patientId: string): AlertRaisedV1[] =>
    [...new Map(alerts.values((a) => a.patientId === patientId).filter(isRaised).map((a) => [a.alertKey, a] as const)).values()];

  /**
   * Waits for the alert of a tachycardic reading published after everything else for the
   * patient: one partition, evaluated in order, so anything earlier has been evaluated too.
   */
  async function evaluatedSoFar(patientId: string): Promise<AlertRaisedV1[]> {
    // A device of its own: the same value from one device within 60 s would be dropped as a resend (DQ-03).
    const barrier = anObservation({ patientId, deviceId: `barrier-${randomUUID()}`, reading: aReading({ type: 'heart_rate', value: 118 }) });
    await publish(barrier);
    await alerts.waitFor((a) => a.observations.some((o) => o.observationId === barrier.observationId), { what: 'the barrier alert' });
    return alertsOf(patientId).filter((a) => a.observations.every((o) => o.observationId !== barrier.observationId));
  }

  it('raises an alert with the deterministic key, and nothing when the same observation comes again (DQ-03)', async () => {
    const protocol = aPatientProtocol({ programs: ['heart_failure'] });
    await publishProtocol(protocol);
    const observation = anObservation({ patientId: protocol.patientId, reading: aReading({ type: 'heart_rate', value: 118 }) });

    await publish(observation);
    await publish(observation);
    const evaluated = await evaluatedSoFar(protocol.patientId);

    expect(evaluated).toEqual([
      expect.objectContaining({
        alertKey: alertKey(protocol.patientId, 'HR-02', observation.observationId),
        ruleId: 'HR-02',
        severity: 'medium',
        kind: 'alert',
        retrospective: false,
        measuredAt: observation.measuredAt,
        observations: [expect.objectContaining({ observationId: observation.observationId, code: '8867-4', value: 118, unit: '/min' })],
        episode: { openedAt: observation.measuredAt.replace(/\.\d{3}Z$/, '.000Z'), breaches: 1 },
      }),
    ]);
    expect(alerts.values((a) => a.patientId === protocol.patientId && a.observations.some((o) => o.observationId === observation.observationId))).toHaveLength(1);
    expect(evaluated[0]!.explanation?.rule).toEqual({ id: 'HR-02', title: expect.any(String), source: '[BEAT-HF] [TELBIL]', version: 'general v1' });
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

  it('applies a protocol version published to rpm.rules.config.v1 to the next reading, without a restart', async () => {
    const protocol = aPatientProtocol({ programs: ['heart_failure'] });
    await publishProtocol(protocol);
    const hr = (value: number) => anObservation({ patientId: protocol.patientId, reading: aReading({ type: 'heart_rate', value }) });
    await publish(hr(105));
    expect(await evaluatedSoFar(protocol.patientId)).toEqual([]);

    await publishProtocol({
      ...protocol,
      version: 2,
      overrides: [{ ruleId: 'HR-02', parameter: 'conditions.0', value: 100, setBy: 'lead-1', setAt: new Date().toISOString(), version: 2 }],
    });
    // The engine reads the new version from its protocol table: the first reading after that is judged by it.
    let raised: AlertRaisedV1[] = [];
    for (let attempt = 0; attempt < 20 && raised.length === 0; attempt++) {
      const afterChange = hr(105);
      await publish(afterChange);
      raised = (await evaluatedSoFar(protocol.patientId)).filter((a) => a.observations.some((o) => o.observationId === afterChange.observationId));
    }
    expect(raised.map((a) => [a.ruleId, a.explanation?.rule.version, a.explanation?.thresholds[0]?.provenance.source])).toEqual([
      ['HR-02', 'general v1 + patient v2', 'patient_override'],
    ]);
  });

  it('applies a programme protocol version to the programme\'s patients at their next reading, and names it', async () => {
    const protocol = aPatientProtocol({ programs: ['diabetes'] });
    await publishProtocol(protocol);
    // Different values: the same value from one device within 60 s is a resend (DQ-03).
    const glucose = (value: number) => anObservation({ patientId: protocol.patientId, reading: aReading({ type: 'glucose', value }) });
    await publish(glucose(220));
    expect(await evaluatedSoFar(protocol.patientId)).toEqual([]);
    try {
      await producer.publish(Topics.rulesConfig, [
        {
          key: programmeProtocolKey('diabetes'),
          value: {
            schema: 'rpm.programme-protocol.v1',
            programme: 'diabetes',
            version: 2,
            settings: [{ ruleId: 'GL-03', parameter: 'conditions.0', value: 200, setBy: 'lead-1', setAt: new Date().toISOString(), version: 2, reason: 'earlier ketone check' }],
            publishedAt: new Date().toISOString(),
            publishedBy: 'lead-1',
          },
        },
      ]);
      const reading = glucose(225);
      await publish(reading);
      const raised = (await evaluatedSoFar(protocol.patientId)).filter((a) => a.observations.some((o) => o.observationId === reading.observationId));
      expect(raised.map((a) => [a.ruleId, a.explanation?.rule.version, a.explanation?.thresholds[0]?.provenance])).toEqual([
        ['GL-03', 'diabetes v2', expect.objectContaining({ source: 'programme', protocol: 'diabetes', version: 2, reason: 'earlier ketone check' })],
      ]);
    } finally {
      // The cluster is shared: the programme goes back to its library default.
      await producer.publish(Topics.rulesConfig, [{ key: programmeProtocolKey('diabetes'), value: null }]);
    }
  });

  it('raises AD-01 when a heart-failure patient stays silent past the cadence (manual clock), once, and ends it on the next reading', async () => {
    const protocol = aPatientProtocol({ programs: ['heart_failure'] });
    await publishProtocol(protocol);
    const weight = anObservation({ patientId: protocol.patientId, reading: aReading({ type: 'body_weight', value: 82 }) });
    await publish(weight);
    await evaluatedSoFar(protocol.patientId);
    const api = new ApiClient(`http://127.0.0.1:${PORT}`);

    const early = await api.post('/test/clock/advance', { ms: 47 * HOUR_MS });
    expect(early.status).toBe(200);
    const late = await api.post('/test/clock/advance', { ms: 2 * HOUR_MS });
    expect(late.status).toBe(200);
    const [silence] = await alerts.waitFor((a) => a.patientId === protocol.patientId && a.ruleId === 'AD-01');
    // Its evidence is the last reading before the silence: here the barrier evaluatedSoFar sent after the weight.
    expect(silence).toMatchObject({ severity: 'low', kind: 'alert', observations: [expect.objectContaining({ code: '8867-4', value: 118 })] });
    expect(silence!.summary).toMatch(/^No reading for 4\d h; expected at least every 48 h/);
    await api.post('/test/clock/advance', { ms: 1 * HOUR_MS });
    await new Promise((r) => setTimeout(r, 500));
    expect(alerts.values((a) => a.patientId === protocol.patientId && a.ruleId === 'AD-01')).toHaveLength(1);

    await publish(anObservation({ patientId: protocol.patientId, reading: aReading({ type: 'body_weight', value: 82.1 }) }));
    await alerts.waitFor((a) => a.patientId === protocol.patientId && a.schema === 'rpm.alert-cleared.v1' && a.ruleId === 'AD-01');
  });

  it('refuses a clock request with a reason', async () => {
    const res = await new ApiClient(`http://127.0.0.1:${PORT}`).post('/test/clock/advance', { ms: -5 });
    expect(res.status).toBe(400);
  });

  it('keeps a patient\'s trend across a restart: day 1 before, day 2 after, HF-01 fires', async () => {
    const protocol = aPatientProtocol({ programs: ['heart_failure'] });
    await publishProtocol(protocol);
    // 13:00 UTC is morning in New York (the protocol's zone), after the 04:00 first-weight cut-off.
    const today = new Date();
    today.setUTCHours(13, 0, 0, 0);
    if (today.getTime() > Date.now()) today.setTime(today.getTime() - 24 * HOUR_MS);
    const day = (n: number) => new Date(today.getTime() - (2 - n) * 24 * HOUR_MS);
    await publish(anObservation({ patientId: protocol.patientId, reading: aReading({ type: 'body_weight', value: 180, unit: 'lb' }), measuredAt: day(0) }));
    await evaluatedSoFar(protocol.patientId);

    await service.stop();
    await service.start();

    const gain = anObservation({ patientId: protocol.patientId, reading: aReading({ type: 'body_weight', value: 183.5, unit: 'lb' }), measuredAt: day(1) });
    await publish(gain);
    const raised = await evaluatedSoFar(protocol.patientId);
    expect(raised.filter((a) => a.ruleId === 'HF-01').map((a) => a.observations.map((o) => o.value))).toEqual([[expect.closeTo(83.23, 2), expect.closeTo(81.65, 2)]]);
  });

  it('reports readiness once the protocol and state tables are loaded', async () => {
    const res = await new ApiClient(`http://127.0.0.1:${PORT}`).get('/readyz');
    expect(res).toEqual({
      status: 200,
      body: { status: 'ready', checks: { kafka: true, 'patient-protocols': true, 'patient-states': true, 'observations-consumer': true } },
    });
  });
});
