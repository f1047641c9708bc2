import type { AlertListResponse, AlertResponse, DeadLetterListResponse, DeadLetterResponse, DeviceRegistrationResponse, DeviceResponse, ObservationSeriesResponse } from '@rpm/contracts';
import { Topics } from '@rpm/contracts';
import { topicEndOffsets } from '@rpm/kafka';
import { connectDevice, pollUntil, publishReading, TestDatabase } from '@rpm/testing';
import type { MqttClient } from 'mqtt';
import { deviceMessage, PipelineHarness } from './pipeline-harness';

const HEART_RATE = '8867-4';
const MINUTE_MS = 60_000;

/**
 * Issue 7, sections 3 and 4, through MQTT, Kafka and PostgreSQL: a loaner device moves between
 * patients (each reading lands on the patient bound when it was measured, a late batch on the one
 * before); a reading measured while the device is bound to nobody is quarantined, and replayed once
 * a binding holds it: stored once, alerted once, however often it is replayed.
 */
describe('devices that move between patients', () => {
  const harness = new PipelineHarness({}, { ports: { 'care-api': 13200, 'ingest-gateway': 13201, 'rules-engine': 13202, 'vitals-store': 13203 } });
  const db = new TestDatabase();

  beforeAll(() => harness.start(), 120_000);
  afterAll(async () => {
    await harness.stop();
    await db.query(`DELETE FROM dead_letters WHERE device_id = 'old-device'`);
    await db.end();
  }, 60_000);

  const heartRates = async (patientId: string) =>
    (await harness.nurse.get<ObservationSeriesResponse>(`/api/v1/patients/${patientId}/observations?code=${HEART_RATE}`)).body.items.map((o) => [o.measuredAt, o.value]);
  const storedFor = (patientId: string, count: number) =>
    pollUntil(async () => {
      const rows = await heartRates(patientId);
      return rows.length >= count ? rows : undefined;
    }, { what: `${count} heart rates of ${patientId}` });

  it('lands each reading on the patient bound when it was measured; a late batch after the move on the patient before', async () => {
    const { patient: ann, registration, client, topic } = await harness.enrolledDevice(['hypertension'], 'bp_cuff');
    const bob = await harness.createPatient(['hypertension']);
    const send = async (value: number, measuredAt: Date) => expect(await publishReading(client, topic, deviceMessage([{ type: 'heart_rate', value, unit: '/min' }], measuredAt))).toBe(0);

    const moveAt = new Date(Date.now() - 30 * MINUTE_MS);
    await send(71, new Date(moveAt.getTime() - 60 * MINUTE_MS));
    await storedFor(ann.id, 1);
    const moved = await harness.admin.put<DeviceResponse>(`/api/v1/devices/${registration.deviceId}/binding`, { patientId: bob.id, from: moveAt.toISOString() });
    expect(moved.status).toBe(200);
    expect(moved.body.bindings.map((b) => [b.patientId, b.from, b.to])).toEqual([
      [ann.id, null, moveAt.toISOString()],
      [bob.id, moveAt.toISOString(), null],
    ]);

    // The cuff uploads what it kept from before the move, then a new reading.
    await send(72, new Date(moveAt.getTime() - 10 * MINUTE_MS));
    await send(73, new Date(moveAt.getTime() + 10 * MINUTE_MS));
    expect((await storedFor(ann.id, 2)).map(([, v]) => v)).toEqual([71, 72]);
    expect((await storedFor(bob.id, 1)).map(([, v]) => v)).toEqual([73]);

    // A move cannot rewrite the past before the binding in force, nor be scheduled for later.
    const backwards = await harness.admin.put(`/api/v1/devices/${registration.deviceId}/binding`, { patientId: ann.id, from: new Date(moveAt.getTime() - MINUTE_MS).toISOString() });
    expect(backwards.status).toBe(409);
    const later = await harness.admin.put(`/api/v1/devices/${registration.deviceId}/binding`, { patientId: ann.id, from: new Date(Date.now() + 60 * MINUTE_MS).toISOString() });
    expect(later.status).toBe(400);
    expect((await harness.nurse.put(`/api/v1/devices/${registration.deviceId}/binding`, { patientId: ann.id })).status).toBe(403);
  });

  it('quarantines a reading measured while the device is bound to nobody, and replays it once a binding holds it: stored and alerted once', async () => {
    const { patient: ann, registration, client, topic } = await harness.enrolledDevice(['hypertension'], 'bp_cuff');
    const deviceId = registration.deviceId;
    const returnedAt = new Date(Date.now() - 20 * MINUTE_MS);
    // The loaner came back 20 minutes ago; it still measures at home before it is collected.
    const returned = await harness.admin.delete<DeviceResponse>(`/api/v1/devices/${deviceId}/binding`, { at: returnedAt.toISOString() });
    expect([returned.status, returned.body.patientId]).toEqual([200, null]);
    expect((await harness.admin.delete(`/api/v1/devices/${deviceId}/binding`)).status).toBe(409);

    // As after the topic was re-created: rows kept earlier sit at the offsets the next dead letters will get.
    for (const { partition, offset } of await topicEndOffsets(harness.kafka, Topics.ingestDlq.name)) {
      for (let n = 0; n < 3; n++) {
        await db.query(
          `INSERT INTO dead_letters (kafka_partition, kafka_offset, reason, detail, device_id, mqtt_topic, received_at, raw_payload_base64, raw_payload_bytes, raw_payload_sha256, record_sha256)
           VALUES ($1, $2, 'schema', 'an older topic', 'old-device', 'rpm/devices/old-device/readings', now(), '', 0, repeat('0', 64), md5(random()::text))`,
          [partition, BigInt(offset) + BigInt(n)],
        );
      }
    }
    const tachycardia = deviceMessage([{ type: 'heart_rate', value: 118, unit: '/min' }], new Date(returnedAt.getTime() + 5 * MINUTE_MS));
    expect(await publishReading(client, topic, tachycardia)).toBe(0);
    const quarantined = await pollUntil(async () => {
      const page = (await harness.admin.get<DeadLetterListResponse>(`/api/v1/dead-letters?deviceId=${deviceId}&reason=outside_binding`)).body;
      return page.items[0];
    }, { what: 'the quarantined reading listed' });
    expect(quarantined).toMatchObject({ status: 'open', reason: 'outside_binding', readingIndex: null, replayedAt: null });
    expect(await heartRates(ann.id)).toEqual([]);

    // Not replayable until a binding holds the reading.
    const early = await harness.admin.post<{ message: string }>(`/api/v1/dead-letters/${quarantined.id}/replay`);
    expect([early.status, early.body.message]).toEqual([409, expect.stringContaining('outside_binding')]);

    // The operator adds the missing binding (the device went home with Ann again at the return instant), then replays.
    expect((await harness.admin.put(`/api/v1/devices/${deviceId}/binding`, { patientId: ann.id, from: returnedAt.toISOString() })).status).toBe(200);
    const replayed = await harness.admin.post<DeadLetterResponse>(`/api/v1/dead-letters/${quarantined.id}/replay`);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ status: 'replayed', replayedBy: 'e2e-admin', replayOutcome: { accepted: 1, rejected: [] } });
    expect((await harness.admin.post(`/api/v1/dead-letters/${quarantined.id}/replay`)).status).toBe(409);

    const alerted = () => pollUntil(async () => {
      const items = (await harness.nurse.get<AlertListResponse>(`/api/v1/alerts?patientId=${ann.id}`)).body.items.filter((a) => a.ruleId === 'HR-02');
      return items.length > 0 ? items : undefined;
    }, { what: 'HR-02 for the replayed reading' });
    expect((await alerted()).map((a) => [a.breaches, a.observations.map((o) => o.value)])).toEqual([[1, [118]]]);
    expect(await storedFor(ann.id, 1)).toHaveLength(1);

    // A replay repeated after a crash (sent on, not yet marked): the readings' natural key keeps it once downstream.
    await db.query(`UPDATE dead_letters SET status = 'open', replayed_at = NULL WHERE id = $1`, [quarantined.id]);
    expect((await harness.admin.post(`/api/v1/dead-letters/${quarantined.id}/replay`)).status).toBe(200);
    await harness.waitForRulesEngine();
    expect(await heartRates(ann.id)).toHaveLength(1);
    expect((await alerted()).map((a) => [a.breaches, a.observations.length])).toEqual([[1, 1]]);
  });

  const adherenceItem = (patientId: string, ruleId: string, accept: (a: AlertResponse) => boolean = () => true) =>
    pollUntil(async () => (await harness.nurse.get<AlertListResponse>(`/api/v1/alerts?patientId=${patientId}&queue=adherence`)).body.items.find((a) => a.ruleId === ruleId && accept(a)), {
      what: `${ruleId} in the adherence queue`,
    });

  it('keeps what it hears from a device (v1.1: battery, signal, firmware; last seen), and raises low battery and repeated data errors in the adherence queue', async () => {
    const { patient, registration, client, topic } = await harness.enrolledDevice(['hypertension'], 'pulse_oximeter');
    const send = async (readings: unknown[], device?: unknown) =>
      expect(await publishReading(client, topic, JSON.stringify({ ...JSON.parse(deviceMessage(readings)), ...(device ? { device } : {}) }))).toBe(0);

    await send([{ type: 'spo2', value: 97, unit: '%' }], { batteryPercent: 12, signalDbm: -71, firmware: 'ox-2.1.0' });
    const seen = await pollUntil(async () => {
      const device = (await harness.admin.get<DeviceResponse>(`/api/v1/devices/${registration.deviceId}`)).body;
      return device.status ? device : undefined;
    }, { what: 'the device status' });
    expect(seen.status).toMatchObject({ batteryPercent: 12, signalDbm: -71, firmware: 'ox-2.1.0' });
    expect(Math.abs(seen.status!.clockOffsetMs)).toBeLessThan(60_000);
    expect((await harness.admin.get<DeviceResponse[]>(`/api/v1/devices?patientId=${patient.id}`)).body.map((d) => d.deviceId)).toEqual([registration.deviceId]);

    const battery = await adherenceItem(patient.id, 'DV-01');
    expect(battery).toMatchObject({ severity: 'low', queue: 'adherence', status: 'open', returnedToNormalAt: null });
    // (Another gateway on this broker, in its own share group, hears the same message: it may count twice.)
    expect(new Set(battery.observations.map((o) => JSON.stringify([o.code, o.value, o.unit])))).toEqual(new Set([JSON.stringify(['rpm-device-battery', 12, '%'])]));
    // A new battery: the item says so, and stays until a nurse resolves it.
    await send([{ type: 'spo2', value: 96, unit: '%' }], { batteryPercent: 100, signalDbm: -70, firmware: 'ox-2.1.0' });
    await adherenceItem(patient.id, 'DV-01', (a) => a.returnedToNormalAt !== null);

    // Three error frames (2047: the oximeter's "no reading"): each dead-lettered, the third raises DQ-01.
    for (let i = 0; i < 3; i++) await send([{ type: 'spo2', value: 2047, unit: '%' }]);
    const errors = await adherenceItem(patient.id, 'DQ-01');
    expect(errors.observations[0]).toMatchObject({ code: 'rpm-device-data-errors', value: expect.any(Number) });
    expect(errors.observations[0]!.value).toBeGreaterThanOrEqual(3);
    // The clinical queue is untouched by device health.
    expect((await harness.nurse.get<AlertListResponse>(`/api/v1/alerts?patientId=${patient.id}&queue=clinical`)).body.items).toEqual([]);
  });

  /** Resolves when the broker ends this client's connection (a kick), within 10 s. */
  const disconnected = (client: MqttClient) =>
    new Promise<void>((resolve, reject) => {
      if (!client.connected) return resolve();
      const timer = setTimeout(() => reject(new Error('still connected')), 10_000);
      client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  const refused = async (mqtt: DeviceRegistrationResponse['mqtt']) => {
    const attempt = await connectDevice(mqtt).then(
      async (c) => {
        await c.endAsync();
        return 'connected';
      },
      (error: unknown) => String(error),
    );
    return attempt;
  };

  it('rotates a device password (the old one stops at once, the session is kicked) and revokes a device (disconnected, refused)', async () => {
    const { patient, registration, client, topic } = await harness.enrolledDevice(['hypertension'], 'bp_cuff');
    const kicked = disconnected(client);
    const rotated = await harness.admin.post<DeviceRegistrationResponse>(`/api/v1/devices/${registration.deviceId}/credentials/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.mqtt.password).not.toBe(registration.mqtt.password);
    await kicked;
    expect(await refused(registration.mqtt)).toMatch(/Not authorized|Bad User Name or Password|not authori/i);

    const fresh = await connectDevice(rotated.body.mqtt);
    expect(await publishReading(fresh, topic, deviceMessage([{ type: 'heart_rate', value: 66, unit: '/min' }]))).toBe(0);
    await storedFor(patient.id, 1);

    const kickedAgain = disconnected(fresh);
    const revoked = await harness.admin.post<DeviceResponse>(`/api/v1/devices/${registration.deviceId}/revoke`);
    expect([revoked.status, typeof revoked.body.revokedAt]).toEqual([200, 'string']);
    await kickedAgain;
    expect(await refused(rotated.body.mqtt)).toMatch(/Not authorized|Bad User Name or Password|not authori/i);
    expect((await harness.admin.post(`/api/v1/devices/${registration.deviceId}/revoke`)).status).toBe(409);
    expect((await harness.admin.post(`/api/v1/devices/${registration.deviceId}/credentials/rotate`)).status).toBe(409);
  });
});
