import { randomUUID } from 'node:crypto';
import { Topics, type ApiError, type DeviceRegistrationResponse } from '@rpm/contracts';
import { signDevToken } from '@rpm/service-kit';
import {
  aDeviceMessage,
  connectDevice,
  createBrokerDevice,
  deleteBrokerDevice,
  runDynsecCommands,
  pollUntil,
  publishReading,
  TestDatabase,
  TopicRecorder,
} from '@rpm/testing';
import type { MqttClient } from 'mqtt';
import { CareApiFixture } from './care-api.fixture';

/** care-api's registry and guard rails: auth, validation, conflicts, device credentials, audit trail. */
describe('care-api registry, auth and audit', () => {
  const care = new CareApiFixture(14030);
  const db = new TestDatabase();
  const clients: MqttClient[] = [];
  const deviceIds: string[] = [];
  let bindings: TopicRecorder<typeof Topics.deviceRegistry.schema>;

  beforeAll(async () => {
    bindings = await TopicRecorder.start(care.kafka, Topics.deviceRegistry, `${care.runId}-bindings`);
    await care.start();
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync()));
    await care.stop();
    await bindings?.stop();
    await db.end();
    for (const deviceId of deviceIds) await deleteBrokerDevice(care.adminMqtt, deviceId);
  });

  async function registerDevice(patientId: string): Promise<DeviceRegistrationResponse> {
    const deviceId = `${care.runId}-dev${deviceIds.length}`;
    const res = await care.admin.post<DeviceRegistrationResponse>('/api/v1/devices', { deviceId, patientId, kind: 'bp_cuff' });
    if (res.status !== 201) throw new Error(`device not registered: ${res.status} ${JSON.stringify(res.body)}`);
    deviceIds.push(deviceId);
    return res.body;
  }

  describe('authentication and authorisation', () => {
    it('answers 401 without a token', async () => {
      expect((await care.anonymous.get('/api/v1/alerts')).status).toBe(401);
    });

    it('answers 401 for a token signed with another secret, and for garbage', async () => {
      const forged = signDevToken({ sub: 'mallory', role: 'admin' }, 'not-the-secret-but-long-enough-to-sign-with');
      expect((await care.anonymous.withToken(forged).get('/api/v1/alerts')).status).toBe(401);
      expect((await care.anonymous.withToken('garbage').get('/api/v1/alerts')).status).toBe(401);
    });

    it('guards a route however its path is spelled', async () => {
      const anonymous = care.admin.withoutToken();
      for (const path of ['/API/v1/alerts', '/Api/V1/Alerts', '/api/v1/alerts/', '/api//v1/alerts']) {
        expect([401, 404]).toContain((await anonymous.get(path)).status);
      }
      const created = await anonymous.post('/API/v1/patients', { mrn: `${care.runId}-case`, name: 'X', timezone: 'UTC', programs: [] });
      expect([401, 404]).toContain(created.status);
    });

    it('answers 403 to a nurse creating a patient', async () => {
      expect((await care.nurse.post('/api/v1/patients', care.aPatientRequest())).status).toBe(403);
    });
  });

  describe('validation and errors', () => {
    it('answers 400 naming each invalid field of a patient', async () => {
      const res = await care.admin.post<ApiError>('/api/v1/patients', care.aPatientRequest({ mrn: '', timezone: 'Mars/Base', programs: ['x' as never] }));
      expect(res.status).toBe(400);
      expect(res.body.issues?.map((i) => i.field).sort()).toEqual(['mrn', 'programs.0', 'timezone']);
      expect(res.body.message).toContain('timezone: must be an IANA time zone');
    });

    it('answers 404 for an unknown patient, an unknown alert and a device of an unknown patient', async () => {
      expect((await care.admin.get(`/api/v1/patients/${randomUUID()}`)).status).toBe(404);
      expect((await care.nurse.post(`/api/v1/alerts/${randomUUID()}/acknowledge`)).status).toBe(404);
      const device = { deviceId: `${care.runId}-orphan`, patientId: randomUUID(), kind: 'scale' };
      expect((await care.admin.post('/api/v1/devices', device)).status).toBe(404);
    });

    it('answers 409 for a duplicate deviceId and a duplicate mrn', async () => {
      const patient = await care.createPatient();
      const { deviceId } = await registerDevice(patient.id);
      expect((await care.admin.post('/api/v1/devices', { deviceId, patientId: patient.id, kind: 'scale' })).status).toBe(409);
      expect((await care.admin.post('/api/v1/patients', care.aPatientRequest({ mrn: patient.mrn }))).status).toBe(409);
    });
  });

  describe('device registration', () => {
    it('returns MQTT credentials that may publish to the device topic only, and publishes the binding', async () => {
      const patient = await care.createPatient();
      const mine = await registerDevice(patient.id);
      const other = await registerDevice(patient.id);
      const client = await connectDevice(mine.mqtt);
      clients.push(client);

      expect(mine.mqtt.topic).toBe(`rpm/devices/${mine.deviceId}/readings`);
      expect(await publishReading(client, mine.mqtt.topic, aDeviceMessage())).toBe(0);
      expect(await publishReading(client, other.mqtt.topic, aDeviceMessage())).toBe(0x87);
      const [binding] = await bindings.waitFor((b) => b.deviceId === mine.deviceId);
      expect(binding).toEqual(expect.objectContaining({ patientId: patient.id, kind: 'bp_cuff' }));
    });

    it('replaces the leftover broker identity of a registration that was rolled back', async () => {
      const patient = await care.createPatient();
      const deviceId = `${care.runId}-leftover`;
      deviceIds.push(deviceId);
      const leftover = await createBrokerDevice(care.adminMqtt, deviceId);

      const res = await care.admin.post<DeviceRegistrationResponse>('/api/v1/devices', { deviceId, patientId: patient.id, kind: 'scale' });
      expect(res.status).toBe(201);
      const client = await connectDevice(res.body.mqtt);
      clients.push(client);
      expect(await publishReading(client, res.body.mqtt.topic, aDeviceMessage())).toBe(0);
      await expect(connectDevice(leftover)).rejects.toThrow();
    });

    it('refuses, and leaves alone, a broker client of that name that is not a device leftover', async () => {
      const patient = await care.createPatient();
      const deviceId = `${care.runId}-foreign`;
      const role = `${care.runId}-foreign-role`;
      await runDynsecCommands(care.adminMqtt, [
        { command: 'createRole', rolename: role },
        { command: 'createClient', username: deviceId, password: 'foreign-password', roles: [{ rolename: role }] },
      ]);
      try {
        const res = await care.admin.post('/api/v1/devices', { deviceId, patientId: patient.id, kind: 'scale' });
        expect(res.status).toBe(409);
        const client = await connectDevice({ url: care.adminMqtt.url, username: deviceId, password: 'foreign-password' });
        await client.endAsync();
      } finally {
        await runDynsecCommands(care.adminMqtt, [{ command: 'deleteClient', username: deviceId }, { command: 'deleteRole', rolename: role }]);
      }
    });

    it('refuses a device id under the platform prefix (rpm-ingest, rpm-admin)', async () => {
      const patient = await care.createPatient();
      const res = await care.admin.post<ApiError>('/api/v1/devices', { deviceId: 'rpm-ingest', patientId: patient.id, kind: 'scale' });
      expect(res.status).toBe(400);
      expect(res.body.issues?.map((i) => i.field)).toEqual(['deviceId']);
    });

    it('stores only a scrypt hash of the device password', async () => {
      const patient = await care.createPatient();
      const { deviceId, mqtt } = await registerDevice(patient.id);

      const [row] = await db.query<{ password_hash: string }>('SELECT password_hash FROM devices WHERE device_id = $1', [deviceId]);
      expect(row?.password_hash).toMatch(/^scrypt\$/);
      expect(row?.password_hash).not.toContain(mqtt.password);
    });
  });

  describe('audit log', () => {
    interface AuditRow {
      actor: string;
      role: string;
      action: string;
      patient_id: string | null;
      outcome: number;
    }
    const auditOf = (actor: string) =>
      db.query<AuditRow>('SELECT actor, role, action, patient_id, outcome FROM audit_log WHERE actor = $1 ORDER BY id', [actor]);

    it('records actor, role, action, patient and outcome of every /api call', async () => {
      const admin = care.as(`${care.runId}-auditor-admin`, 'admin');
      const nurse = care.as(`${care.runId}-auditor-nurse`, 'nurse', [care.careTeam]);
      const patient = (await admin.post<{ id: string }>('/api/v1/patients', care.aPatientRequest())).body;
      await nurse.get(`/api/v1/patients/${patient.id}`);
      await nurse.get(`/api/v1/alerts?patientId=${patient.id}`);
      const unknown = randomUUID();
      await nurse.get(`/api/v1/patients/${unknown}`);

      const rows = [...(await auditOf(`${care.runId}-auditor-admin`)), ...(await auditOf(`${care.runId}-auditor-nurse`))];
      expect(rows).toEqual([
        { actor: `${care.runId}-auditor-admin`, role: 'admin', action: 'POST /api/v1/patients', patient_id: patient.id, outcome: 201 },
        { actor: `${care.runId}-auditor-nurse`, role: 'nurse', action: 'GET /api/v1/patients/:id', patient_id: patient.id, outcome: 200 },
        { actor: `${care.runId}-auditor-nurse`, role: 'nurse', action: 'GET /api/v1/alerts', patient_id: patient.id, outcome: 200 },
        { actor: `${care.runId}-auditor-nurse`, role: 'nurse', action: 'GET /api/v1/patients/:id', patient_id: unknown, outcome: 404 },
      ]);
    });

    it('records a call its role may not make (403), like any other', async () => {
      const nurse = `${care.runId}-refused-nurse`;
      expect((await care.as(nurse, 'nurse', [care.careTeam]).post('/api/v1/patients', care.aPatientRequest())).status).toBe(403);

      const rows = await pollUntil(async () => {
        const r = await auditOf(nurse);
        return r.length > 0 ? r : undefined;
      }, { timeoutMs: 2_000, what: 'the audit row of the refused call' });
      expect(rows).toEqual([expect.objectContaining({ role: 'nurse', action: 'POST /api/v1/patients', outcome: 403 })]);
    });
  });
});
