import { Topics, type AlertRaisedV1, type AlertSignalV1, type ObservationV1, type PatientProtocolV1 } from '@rpm/contracts';
import { BatchingProducer, consumerGroupLag, deleteTopicsWithPrefix, startGroupAtEnd } from '@rpm/kafka';
import { ApiClient, aPatientProtocol, aReading, anObservation, newRunId, pollUntil, readMetric, runStateTopic, serviceUnderTest, testKafka, TopicRecorder, type ServiceProcess } from '@rpm/testing';

const HOUR_MS = 3_600_000;
const PORTS = [14013, 14014] as const;

/**
 * Two rules engines in one group: when one leaves, the other takes over its partitions with
 * their state (trends continue) and their AD-01 timers (raised once, not lost).
 */
describe('rules-engine across a rebalance', () => {
  const runId = newRunId('int-rb');
  const kafka = testKafka(runId);
  const producer = new BatchingProducer(kafka);
  let alerts: TopicRecorder<typeof Topics.alerts.schema>;
  const engines: ServiceProcess[] = PORTS.map((port) => serviceUnderTest({ name: 'rules-engine', runId, port, env: { RULES_ENGINE_MANUAL_CLOCK: 'true' } }));

  beforeAll(async () => {
    await producer.connect();
    alerts = await TopicRecorder.start(kafka, Topics.alerts, `${runId}-alerts`);
    await startGroupAtEnd(kafka, `${runId}-rules-engine`, Topics.observations.name);
    for (const engine of engines) await engine.start();
  }, 120_000);

  afterAll(async () => {
    for (const engine of engines) await engine.stop();
    await alerts?.stop();
    await producer.disconnect();
    await deleteTopicsWithPrefix(kafka, runStateTopic(runId));
  });

  const isRaised = (s: AlertSignalV1): s is AlertRaisedV1 => s.schema === 'rpm.alert-raised.v1';
  const publish = (...observations: ObservationV1[]) => producer.publish(Topics.observations, observations.map((o) => ({ key: o.patientId, value: o })));
  const caughtUp = () =>
    pollUntil(async () => ((await consumerGroupLag(kafka, `${runId}-rules-engine`, Topics.observations.name)) === 0 ? true : undefined), { what: 'the group to catch up' });

  it('continues every patient\'s weight trend and runs its AD-01 timer on the instance that takes over', async () => {
    // Twelve patients spread over the partitions: each engine owns about half of them.
    const patients: PatientProtocolV1[] = Array.from({ length: 12 }, () => aPatientProtocol({ programs: ['heart_failure'] }));
    await producer.publish(Topics.rulesConfig, patients.map((p) => ({ key: p.patientId, value: p })));
    const today = new Date();
    today.setUTCHours(13, 0, 0, 0);
    if (today.getTime() > Date.now()) today.setTime(today.getTime() - 24 * HOUR_MS);
    const weight = (patientId: string, lb: number, daysAgo: number) =>
      anObservation({ patientId, deviceId: `scale-${patientId}`, reading: aReading({ type: 'body_weight', value: lb, unit: 'lb' }), measuredAt: new Date(today.getTime() - daysAgo * 24 * HOUR_MS) });

    await publish(...patients.map((p) => weight(p.patientId, 180, 1)));
    await caughtUp();
    // Both engines judged some of the first weights: the one that leaves owned state the other must take over.
    const judged = await Promise.all(PORTS.map((port) => readMetric(`http://127.0.0.1:${port}`, 'rpm_rules_evaluations_total', { type: 'body_weight' })));
    expect(judged.every((n) => n > 0)).toBe(true);
    expect(judged[0]! + judged[1]!).toBe(patients.length);

    // The first engine leaves; the second gets all twelve partitions with the first one's states.
    await engines[0]!.stop();
    await publish(...patients.map((p) => weight(p.patientId, 183.5, 0)));
    const hf01 = await alerts.waitFor((a) => isRaised(a) && a.ruleId === 'HF-01' && patients.some((p) => p.patientId === a.patientId), {
      count: patients.length,
      what: 'HF-01 for all twelve patients',
    });
    expect(new Set(hf01.map((a) => a.patientId)).size).toBe(patients.length);

    // Their silence timers moved too: each patient gets exactly one AD-01.
    await caughtUp();
    const survivor = new ApiClient(`http://127.0.0.1:${PORTS[1]}`);
    expect((await survivor.post('/test/clock/advance', { ms: 49 * HOUR_MS })).status).toBe(200);
    expect((await survivor.post('/test/clock/advance', { ms: 1 * HOUR_MS })).status).toBe(200);
    const ad01 = await alerts.waitFor((a) => a.ruleId === 'AD-01' && patients.some((p) => p.patientId === a.patientId), { count: patients.length, what: 'AD-01 for all twelve' });
    const perPatient = new Map<string, number>();
    for (const a of ad01) perPatient.set(a.patientId, (perPatient.get(a.patientId) ?? 0) + 1);
    expect([...perPatient.values()]).toEqual(patients.map(() => 1));
  }, 120_000);
});
