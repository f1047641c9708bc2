import { Topics, type DeviceKind } from '@rpm/contracts';
import { BatchingProducer } from '@rpm/kafka';
import {
  aDeviceBinding,
  aDeviceMessage,
  aReading,
  connectDevice,
  createBrokerDevice,
  deleteBrokerDevice,
  discardMqttSessions,
  ingestCredentials,
  localTestEnv,
  newRunId,
  overrideTopicConfigs,
  pollUntil,
  publishReading,
  readMetric,
  startServiceUnderTest,
  testKafka,
  TopicRecorder,
  type ServiceProcess,
} from '@rpm/testing';
import type { MqttClient } from 'mqtt';

const PORT = 14020;
const MINUTE_MS = 60_000;

/**
 * ingest-gateway as a real process in its own MQTT share group: devices publish to the
 * real Mosquitto, records are read back from the real Kafka topics.
 */
describe('ingest-gateway', () => {
  const runId = newRunId('int-ig');
  const local = localTestEnv();
  const admin = { url: local.MQTT_URL, username: local.MQTT_ADMIN_USERNAME, password: local.MQTT_ADMIN_PASSWORD };
  const kafka = testKafka(runId, local);
  const producer = new BatchingProducer(kafka);
  const baseUrl = `http://127.0.0.1:${PORT}`;
  const clients: MqttClient[] = [];
  const deviceIds: string[] = [];
  let observations: TopicRecorder<typeof Topics.observations.schema>;
  let deadLetters: TopicRecorder<typeof Topics.ingestDlq.schema>;
  let gateway: ServiceProcess;

  beforeAll(async () => {
    await producer.connect();
    observations = await TopicRecorder.start(kafka, Topics.observations, `${runId}-observations`);
    deadLetters = await TopicRecorder.start(kafka, Topics.ingestDlq, `${runId}-dlq`);
    gateway = await startServiceUnderTest({ name: 'ingest-gateway', runId, port: PORT, kafka });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync()));
    await gateway?.stop();
    // The gateway's persistent sessions would queue every device message for 10 more minutes.
    await discardMqttSessions(ingestCredentials(local), [`${runId}-c0`, `${runId}-c1`]);
    await Promise.all([observations?.stop(), deadLetters?.stop()]);
    await producer.disconnect();
    for (const deviceId of deviceIds) await deleteBrokerDevice(admin, deviceId);
  });

  /** A broker identity made as the MQTT admin, connected; its binding is published just before the caller's first publish. */
  async function aBoundDevice(kind: DeviceKind = 'hub') {
    const deviceId = `${runId}-d${deviceIds.length}`;
    deviceIds.push(deviceId);
    const credentials = await createBrokerDevice(admin, deviceId);
    const client = await connectDevice(credentials);
    clients.push(client);
    const binding = aDeviceBinding({ deviceId, kind });
    await producer.publish(Topics.deviceRegistry, [{ key: deviceId, value: binding }]);
    return { deviceId, patientId: binding.patientId, client, topic: credentials.topic };
  }

  const lettersOf = (deviceId: string) => deadLetters.values((d) => d.deviceId === deviceId);
  const rejects = (reason: string) => readMetric(baseUrl, 'rpm_ingest_rejects_total', { reason });

  it('writes normalised observations with LOINC codes and canonical units, keyed by patientId', async () => {
    const { deviceId, patientId, client, topic } = await aBoundDevice();

    const reasonCode = await publishReading(
      client,
      topic,
      aDeviceMessage({
        messageId: 'm-units',
        readings: [
          aReading({ type: 'blood_pressure', systolic: 22, diastolic: 12.5, unit: 'kPa' }),
          aReading({ type: 'body_weight', value: 180, unit: 'lb' }),
          aReading({ type: 'glucose', value: 5.5, unit: 'mmol/L' }),
          aReading({ type: 'body_temperature', value: 100.4, unit: 'degF' }),
        ],
      }),
    );

    expect(reasonCode).toBe(0);
    await pollUntil(async () => (new Set(observations.values((o) => o.deviceId === deviceId).map((o) => o.type)).size === 4 ? true : undefined));
    const records = observations.records.filter((r) => r.value?.deviceId === deviceId);
    expect(new Set(records.map((r) => r.key))).toEqual(new Set([patientId]));
    const byType = new Map(records.map((r) => [r.value!.type, r.value!]));
    expect(byType.size).toBe(4);
    expect(byType.get('blood_pressure')).toEqual(
      expect.objectContaining({
        observationId: `${deviceId}/m-units/blood_pressure`,
        patientId,
        code: '85354-9',
        components: [
          expect.objectContaining({ code: '8480-6', unit: 'mm[Hg]', value: expect.closeTo(165.01, 2), originalValue: 22, originalUnit: 'kPa' }),
          expect.objectContaining({ code: '8462-4', unit: 'mm[Hg]', value: expect.closeTo(93.76, 2), originalValue: 12.5, originalUnit: 'kPa' }),
        ],
      }),
    );
    expect(byType.get('body_weight')?.components).toEqual([
      expect.objectContaining({ code: '29463-7', unit: 'kg', value: expect.closeTo(81.647, 3), originalUnit: 'lb' }),
    ]);
    expect(byType.get('glucose')?.components).toEqual([
      expect.objectContaining({ code: '41653-7', unit: 'mg/dL', value: expect.closeTo(99.09, 2), originalUnit: 'mmol/L' }),
    ]);
    expect(byType.get('body_temperature')?.components).toEqual([
      expect.objectContaining({ code: '8310-5', unit: 'Cel', value: expect.closeTo(38, 6), originalUnit: 'degF' }),
    ]);
  });

  it('honours a binding published a moment before the first publish (no unbound_device)', async () => {
    const { deviceId, patientId, client, topic } = await aBoundDevice('pulse_oximeter');

    await publishReading(client, topic, aDeviceMessage({ readings: [aReading({ type: 'spo2', value: 96 })] }));

    const [observation] = await observations.waitFor((o) => o.deviceId === deviceId);
    expect(observation?.patientId).toBe(patientId);
    expect(lettersOf(deviceId)).toEqual([]);
  });

  it('dead-letters a payload over 16 KiB as too_large, with the raw bytes kept', async () => {
    const { deviceId, client, topic } = await aBoundDevice();
    const before = await rejects('too_large');
    const payload = JSON.stringify({ ...JSON.parse(aDeviceMessage()), padding: 'x'.repeat(16 * 1024) });

    expect(await publishReading(client, topic, payload)).toBe(0);

    const [letter] = await deadLetters.waitFor((d) => d.deviceId === deviceId);
    expect(letter).toEqual(expect.objectContaining({ reason: 'too_large', mqttTopic: topic, messageId: null, readingIndex: null }));
    expect(Buffer.from(letter!.rawPayloadBase64, 'base64').toString('utf8')).toBe(payload);
    await pollUntil(async () => ((await rejects('too_large')) === before + 1 ? true : undefined), { what: 'the too_large counter' });
  });

  it('dead-letters a message measured 11 minutes in the future as clock_skew', async () => {
    const { deviceId, client, topic } = await aBoundDevice();
    const before = await rejects('clock_skew');

    await publishReading(client, topic, aDeviceMessage({ messageId: 'm-future', measuredAt: new Date(Date.now() + 11 * MINUTE_MS) }));

    const [letter] = await deadLetters.waitFor((d) => d.deviceId === deviceId);
    expect(letter).toEqual(expect.objectContaining({ reason: 'clock_skew', messageId: 'm-future' }));
    await pollUntil(async () => ((await rejects('clock_skew')) === before + 1 ? true : undefined), { what: 'the clock_skew counter' });
    expect(observations.values((o) => o.deviceId === deviceId)).toEqual([]);
  });

  it('dead-letters a reading of unknown type alone while its sibling flows', async () => {
    const { deviceId, client, topic } = await aBoundDevice();
    const before = await rejects('schema');

    await publishReading(
      client,
      topic,
      aDeviceMessage({ messageId: 'm-mixed', readings: [{ type: 'ecg', value: 1.2, unit: 'mV' }, aReading({ type: 'heart_rate', value: 72 })] }),
    );

    const [letter] = await deadLetters.waitFor((d) => d.deviceId === deviceId);
    expect(letter).toEqual(expect.objectContaining({ reason: 'schema', messageId: 'm-mixed', readingIndex: 0 }));
    const [sibling] = await observations.waitFor((o) => o.deviceId === deviceId);
    expect(sibling).toEqual(expect.objectContaining({ observationId: `${deviceId}/m-mixed/heart_rate`, type: 'heart_rate' }));
    await pollUntil(async () => ((await rejects('schema')) === before + 1 ? true : undefined), { what: 'the schema counter' });
  });

  // Conclusive only when no other ingest-gateway (the demo's, an e2e run's) uses the broker: every
  // share group gets its own copy of a device message, and the registry topic is shared.
  it('loses no message when stopped with SIGTERM mid-stream: all of them are on the topic after a restart', async () => {
    const { deviceId, client, topic } = await aBoundDevice();
    const message = (i: number) => aDeviceMessage({ messageId: `m-${i}`, readings: [aReading({ type: 'heart_rate', value: 60 + (i % 50) })] });

    const inFlight = Array.from({ length: 200 }, (_, i) => publishReading(client, topic, message(i)));
    await observations.waitFor((o) => o.deviceId === deviceId, { what: 'the stream to be flowing' });
    await gateway.stop('SIGTERM');
    expect(await Promise.all(inFlight)).toEqual(Array(200).fill(0));
    // While the gateway is down the broker queues these in its persistent sessions.
    for (let i = 200; i < 220; i++) expect(await publishReading(client, topic, message(i))).toBe(0);
    await gateway.start();

    const delivered = await pollUntil(
      async () => {
        const ids = new Set(observations.values((o) => o.deviceId === deviceId).map((o) => o.messageId));
        return ids.size >= 220 ? ids : undefined;
      },
      { timeoutMs: 60_000, what: 'all 220 messages on rpm.observations.v1' },
    ).catch((error: unknown) => {
      const ids = new Set(observations.values((o) => o.deviceId === deviceId).map((o) => o.messageId));
      const missing = Array.from({ length: 220 }, (_, i) => `m-${i}`).filter((id) => !ids.has(id));
      const letters = lettersOf(deviceId).map((d) => `${d.messageId}:${d.reason}`);
      throw new Error(`${String(error)}; missing ${missing.length}: ${missing.slice(0, 10).join(', ')}; dead letters: ${letters.slice(0, 10).join(', ')}`);
    });
    expect(delivered.size).toBe(220);
    // The restarted instance got at least what was queued in its sessions while it was down.
    expect(await readMetric(baseUrl, 'rpm_ingest_messages_total')).toBeGreaterThanOrEqual(20);
    expect(lettersOf(deviceId)).toEqual([]);
  });

  it('dead-letters a whole message Kafka refuses for good as unwritable, PUBACKs it, and writes the next one', async () => {
    const { deviceId, client, topic } = await aBoundDevice('pulse_oximeter');
    await publishReading(client, topic, aDeviceMessage({ messageId: 'm-before', readings: [aReading({ type: 'spo2', value: 97 })] }));
    await observations.waitFor((o) => o.deviceId === deviceId);
    const before = { refused: await rejects('unwritable'), timed: await readMetric(baseUrl, 'rpm_ingest_kafka_write_seconds_count') };
    // The broker refuses every observation record over 300 bytes (~540 here) until the topic's own limit is back.
    const restore = await overrideTopicConfigs(kafka, Topics.observations.name, { 'max.message.bytes': '300' });
    try {
      expect(await publishReading(client, topic, aDeviceMessage({ messageId: 'm-refused', readings: [aReading({ type: 'spo2', value: 96 })] }))).toBe(0);
      const [letter] = await deadLetters.waitFor((d) => d.deviceId === deviceId && d.messageId === 'm-refused');
      expect(letter).toEqual(expect.objectContaining({ reason: 'unwritable', mqttTopic: topic, readingIndex: null }));
      expect(letter?.detail).toMatch(/MESSAGE_TOO_LARGE/);
      expect(JSON.parse(Buffer.from(letter!.rawPayloadBase64, 'base64').toString('utf8'))).toMatchObject({ messageId: 'm-refused' });
      expect(await rejects('unwritable')).toBe(before.refused + 1);
      // The refusal is an answer from Kafka, timed like a write.
      expect(await readMetric(baseUrl, 'rpm_ingest_kafka_write_seconds_count')).toBeGreaterThan(before.timed);
    } finally {
      await restore();
    }
    await publishReading(client, topic, aDeviceMessage({ messageId: 'm-after', readings: [aReading({ type: 'spo2', value: 95 })] }));
    await observations.waitFor((o) => o.deviceId === deviceId && o.messageId === 'm-after');
    expect(observations.values((o) => o.deviceId === deviceId).map((o) => o.messageId)).toEqual(['m-before', 'm-after']);
  });

  it('reports readiness of Kafka, MQTT and the device registry', async () => {
    const res = await fetch(`${baseUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { kafka: true, mqtt: true, 'device-registry': true } });
  });
});
