import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { ObservationSeriesResponse } from '@rpm/contracts';
import { localCaFile, mqttTlsOptions, workspaceRoot } from '@rpm/service-kit';
import { connectDevice, deleteBrokerDevice, ingestCredentials, localTestEnv, pollUntil, publishReading, runDynsecCommands } from '@rpm/testing';
import { deviceMessage, PipelineHarness } from './pipeline-harness';

const HEART_RATE = '8867-4';
/** MQTT 5 reason code 0x87 Not authorized, in a PUBACK or a SUBACK. */
const NOT_AUTHORIZED = 0x87;
/** How long a connection attempt that should be refused gets before it counts as "not connected". */
const REFUSAL_WAIT_MS = 5_000;

type Attempt = { connected: true } | { connected: false; error: string };

/** Connects once, never retries, and reports whether the broker let the client in. */
function attemptConnection(url: string, options: IClientOptions): Promise<Attempt> {
  return new Promise((resolve) => {
    const client = mqtt.connect(url, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: REFUSAL_WAIT_MS, clientId: `tls-e2e-${randomUUID().slice(0, 8)}`, ...options });
    const settle = (attempt: Attempt): void => {
      clearTimeout(timer);
      client.end(true);
      resolve(attempt);
    };
    const timer = setTimeout(() => settle({ connected: false, error: 'no CONNACK' }), REFUSAL_WAIT_MS);
    client.once('connect', () => settle({ connected: true }));
    client.once('error', (error) => settle({ connected: false, error: `${(error as { code?: string }).code ?? ''} ${error.message}` }));
    client.once('close', () => settle({ connected: false, error: 'connection closed' }));
  });
}

/** The SUBACK reason code for one filter (1 = granted at QoS 1; 0x80 and above = refused). */
const subscribeReasonCode = (client: MqttClient, filter: string): Promise<number> =>
  client.subscribeAsync(filter, { qos: 1 }).then(
    (granted) => granted[0]?.qos ?? -1,
    // mqtt.js rejects a refused filter with the SUBACK packet attached.
    (error: { packet?: { granted?: number[] } }) => error.packet?.granted?.[0] ?? -1,
  );

/**
 * The messageIds the broker delivers on one device's topic, seen by a subscriber with the
 * ingest gateway's rights. Messages reach a single subscriber in the order the broker took
 * them, so once a later message has arrived, an earlier one that is missing was never delivered.
 */
async function recordTopic(topic: string): Promise<{ messageIds: string[]; client: MqttClient }> {
  const client = await connectDevice(ingestCredentials());
  const messageIds: string[] = [];
  client.on('message', (_topic, payload) => messageIds.push((JSON.parse(payload.toString('utf8')) as { messageId: string }).messageId));
  expect(await subscribeReasonCode(client, topic)).toBe(1);
  return { messageIds, client };
}

describe('MQTT over TLS on the project Mosquitto', () => {
  const harness = new PipelineHarness({}, { ports: { 'care-api': 13400, 'ingest-gateway': 13401, 'rules-engine': 13402, 'vitals-store': 13403 } });
  const local = localTestEnv();
  const admin = { url: local.MQTT_URL, username: local.MQTT_ADMIN_USERNAME, password: local.MQTT_ADMIN_PASSWORD };
  const certDir = mkdtempSync(join(tmpdir(), 'rpm-device-certs-'));
  const opened: MqttClient[] = [];

  beforeAll(() => harness.start(), 120_000);
  afterAll(async () => {
    await Promise.all(opened.map((c) => c.endAsync(true)));
    await harness.stop();
    rmSync(certDir, { recursive: true, force: true });
  }, 60_000);

  const heartRatesOf = async (patientId: string): Promise<number[]> =>
    (await harness.nurse.get<ObservationSeriesResponse>(`/api/v1/patients/${patientId}/observations?code=${HEART_RATE}`)).body.items.map((o) => o.value);
  const storedHeartRates = (patientId: string, expected: number[]) =>
    pollUntil(async () => ((await heartRatesOf(patientId)).length >= expected.length ? heartRatesOf(patientId) : undefined), {
      what: `${expected.length} stored heart rates of ${patientId}`,
    });
  const heartRate = (value: number, messageId: string = randomUUID()) => deviceMessage([{ type: 'heart_rate', value, unit: '/min' }], new Date(), messageId);

  /** A client certificate for `deviceId` from the local CA, by the script operators use. */
  function issueCertificate(deviceId: string): { certFile: string; keyFile: string } {
    execFileSync('bash', [join(workspaceRoot(), 'infra', 'mosquitto', 'issue-device-cert.sh'), deviceId, certDir], { stdio: 'pipe' });
    return { certFile: join(certDir, `${deviceId}.crt`), keyFile: join(certDir, `${deviceId}.key`) };
  }

  async function connectWithCertificate(files: { certFile: string; keyFile: string }, extra: IClientOptions = {}): Promise<MqttClient> {
    const url = certificateUrl();
    const client = await mqtt.connectAsync(url, { ...mqttTlsOptions(url, files), protocolVersion: 5, reconnectPeriod: 0, connectTimeout: REFUSAL_WAIT_MS, ...extra });
    opened.push(client);
    return client;
  }

  function certificateUrl(): string {
    if (!local.MQTT_CERT_URL) throw new Error('MQTT_CERT_URL missing from .rpm/local.env: run bash infra/up.sh');
    return local.MQTT_CERT_URL;
  }

  it('a registered device connects over verified TLS with its credentials, and its reading is stored end to end', async () => {
    const { patient, registration, client, topic } = await harness.enrolledDevice(['heart_failure']);
    expect(registration.mqtt.url).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/);
    const socket = client.stream as unknown as TLSSocket;
    expect({ encrypted: socket.encrypted, authorized: socket.authorized }).toEqual({ encrypted: true, authorized: true });
    expect(['TLSv1.2', 'TLSv1.3']).toContain(socket.getProtocol());

    expect(await publishReading(client, topic, heartRate(77))).toBe(0);
    expect(await storedHeartRates(patient.id, [77])).toEqual([77]);
  });

  it('refuses a client that does not trust the local CA, plain MQTT on the TLS port, and TLS older than 1.2', async () => {
    const { registration } = await harness.enrolledDevice();
    const credentials = { username: registration.mqtt.username, password: registration.mqtt.password };

    const untrusting = await attemptConnection(registration.mqtt.url, { ...credentials, rejectUnauthorized: true });
    expect(untrusting).toEqual({ connected: false, error: expect.stringMatching(/self[- ]signed certificate|unable to (get|verify)/i) });
    const cleartext = await attemptConnection(registration.mqtt.url.replace(/^mqtts:/, 'mqtt:'), credentials);
    expect(cleartext.connected).toBe(false);
    // Control: the same credentials with the CA get in, so the refusals above are the transport's.
    expect(await attemptConnection(registration.mqtt.url, { ...credentials, ...mqttTlsOptions(registration.mqtt.url) })).toEqual({ connected: true });

    const { hostname, port } = new URL(registration.mqtt.url);
    const handshake = (version: string) =>
      spawnSync('openssl', ['s_client', '-connect', `${hostname}:${port}`, version, '-cipher', 'DEFAULT@SECLEVEL=0', '-CAfile', localCaFile(), '-verify_ip', hostname, '-verify_return_error'], {
        input: '',
        encoding: 'utf8',
        timeout: 10_000,
      });
    const tls11 = handshake('-tls1_1');
    expect(tls11.stdout + tls11.stderr).toMatch(/alert protocol version/i); // the broker's refusal, not the client's
    expect(tls11.status).not.toBe(0);
    expect(tls11.stdout).toMatch(/Cipher is \(NONE\)/);
    const tls12 = handshake('-tls1_2');
    expect(tls12.stdout).toMatch(/Protocol\s*: TLSv1\.2/);
    expect(tls12.stdout).toContain('Verify return code: 0 (ok)');
  });

  it('a device can neither subscribe to another device\'s topic nor publish to it', async () => {
    const mallory = await harness.enrolledDevice();
    const victim = await harness.enrolledDevice();

    expect(await subscribeReasonCode(mallory.client, victim.topic)).toBe(NOT_AUTHORIZED);
    expect(await subscribeReasonCode(mallory.client, 'rpm/devices/+/readings')).toBe(NOT_AUTHORIZED);
    expect(await subscribeReasonCode(mallory.client, mallory.topic)).toBe(NOT_AUTHORIZED); // devices publish only

    const recorder = await recordTopic(victim.topic);
    opened.push(recorder.client);
    const forged = randomUUID();
    expect(await publishReading(mallory.client, victim.topic, heartRate(181, forged))).toBe(NOT_AUTHORIZED);
    expect(mallory.client.connected).toBe(true); // refused per message, not disconnected
    const genuine = randomUUID();
    expect(await publishReading(victim.client, victim.topic, heartRate(66, genuine))).toBe(0);

    await pollUntil(async () => (recorder.messageIds.includes(genuine) ? true : undefined), { what: 'the genuine reading on the topic' });
    expect(recorder.messageIds).toEqual([genuine]);
    expect(await storedHeartRates(victim.patient.id, [66])).toEqual([66]);
  });

  describe('client certificates (the certificate listener, CN = deviceId)', () => {
    it('a device with a certificate from the local CA for its id publishes without a password; its reading is stored', async () => {
      const { patient, registration, topic } = await harness.enrolledDevice();
      const client = await connectWithCertificate(issueCertificate(registration.deviceId));
      expect((client.stream as unknown as TLSSocket).authorized).toBe(true);
      expect(await publishReading(client, topic, heartRate(88))).toBe(0);
      expect(await storedHeartRates(patient.id, [88])).toEqual([88]);
    });

    it('a certificate for another id cannot publish to this device\'s topic, even with this device\'s password', async () => {
      const owner = await harness.enrolledDevice();
      const other = await harness.enrolledDevice();
      const recorder = await recordTopic(owner.topic);
      opened.push(recorder.client);
      const otherCertificate = issueCertificate(other.registration.deviceId);

      const asOther = await connectWithCertificate(otherCertificate);
      const forged = randomUUID();
      expect(await publishReading(asOther, owner.topic, heartRate(190, forged))).toBe(NOT_AUTHORIZED);
      // The certificate's CN is the username: a claimed username and password change nothing.
      const claimingOwner = await connectWithCertificate(otherCertificate, { username: owner.registration.mqtt.username, password: owner.registration.mqtt.password });
      expect(await publishReading(claimingOwner, owner.topic, heartRate(191, randomUUID()))).toBe(NOT_AUTHORIZED);

      const genuine = randomUUID();
      expect(await publishReading(owner.client, owner.topic, heartRate(64, genuine))).toBe(0);
      await pollUntil(async () => (recorder.messageIds.includes(genuine) ? true : undefined), { what: 'the genuine reading on the topic' });
      expect(recorder.messageIds).toEqual([genuine]);
    });

    it('refuses a certificate the local CA did not issue, and a client without a certificate', async () => {
      const { registration } = await harness.enrolledDevice();
      const selfSigned = { certFile: join(certDir, 'self-signed.crt'), keyFile: join(certDir, 'self-signed.key') };
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
        '-subj', `/CN=${registration.deviceId}`, '-keyout', selfSigned.keyFile, '-out', selfSigned.certFile], { stdio: 'pipe' });
      const url = certificateUrl();
      const forgedIdentity = await attemptConnection(url, { ...mqttTlsOptions(url), cert: readFileSync(selfSigned.certFile), key: readFileSync(selfSigned.keyFile) });
      expect(forgedIdentity.connected).toBe(false);
      const passwordOnly = await attemptConnection(url, { ...mqttTlsOptions(url), username: registration.mqtt.username, password: registration.mqtt.password });
      expect(passwordOnly.connected).toBe(false);
    });

    it('revoking a certificate device takes deleting its broker client: a disabled one still publishes (no password is checked)', async () => {
      const { registration, topic } = await harness.enrolledDevice();
      const certificate = issueCertificate(registration.deviceId);
      const deviceId = registration.deviceId;

      // Mosquitto 2.0 checks "disabled" only when it checks a password, which this listener skips
      // (upstream eclipse-mosquitto/mosquitto#2999).
      await runDynsecCommands(admin, [{ command: 'disableClient', username: deviceId }]);
      expect(await attemptConnection(registration.mqtt.url, { ...mqttTlsOptions(registration.mqtt.url), username: deviceId, password: registration.mqtt.password })).toEqual({
        connected: false,
        error: expect.stringMatching(/not authori[sz]ed/i),
      });
      const whileDisabled = await connectWithCertificate(certificate);
      expect(await publishReading(whileDisabled, topic, heartRate(70))).toBe(0);

      await deleteBrokerDevice(admin, deviceId);
      const afterDelete = await connectWithCertificate(certificate);
      expect(await publishReading(afterDelete, topic, heartRate(71))).toBe(NOT_AUTHORIZED);
    });

    it('a device revoked through care-api can no longer log in with its password over TLS', async () => {
      const { registration } = await harness.enrolledDevice();
      expect((await harness.admin.post(`/api/v1/devices/${registration.deviceId}/revoke`)).status).toBe(200);
      const { url, username, password } = registration.mqtt;
      expect(await attemptConnection(url, { ...mqttTlsOptions(url), username, password })).toEqual({ connected: false, error: expect.stringMatching(/not authori[sz]ed/i) });
    });

    // This listener never looks at "disabled" (see above): revoke also takes the device's role away
    // (removeClientRole; not deleteRole while the client holds it: Mosquitto 2.0 segfaults, upstream #2660).
    it('a device revoked through care-api can no longer publish with its certificate', async () => {
      const { registration, topic } = await harness.enrolledDevice();
      const certificate = issueCertificate(registration.deviceId);
      expect((await harness.admin.post(`/api/v1/devices/${registration.deviceId}/revoke`)).status).toBe(200);
      const client = await connectWithCertificate(certificate);
      expect(await publishReading(client, topic, heartRate(73))).toBe(NOT_AUTHORIZED);
    });
  });
});
