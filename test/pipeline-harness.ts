import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Topics, type DeadLetterV1, type DeviceRegistrationResponse, type PatientResponse } from '@rpm/contracts';
import { BatchConsumer, consumerGroupLag, createKafka, deleteTopicsWithPrefix, startGroupAtEnd } from '@rpm/kafka';
import { JsonLogger, loadConfig, signDevToken } from '@rpm/service-kit';
import { ApiClient, connectDevice, deleteBrokerDevice, discardMqttSessions, ingestCredentials, pollUntil, runStateTopic, ServiceProcess, type ServiceName } from '@rpm/testing';
import type { MqttClient } from 'mqtt';
import { z } from 'zod';

/** Ports apart from the demo's (3000-3003) so both can run at once. */
export const PORTS: Record<ServiceName, number> = { 'care-api': 13000, 'ingest-gateway': 13001, 'rules-engine': 13002, 'vitals-store': 13003 };

export interface HarnessOptions {
  /** Another port set, for a suite that may run while one on the default ports does. */
  readonly ports?: Record<ServiceName, number>;
  /** Where the services' logs go (default .data/logs), for a suite on a private stack. */
  readonly logDir?: string;
}

const LocalEnv = z.object({
  JWT_SECRET: z.string().min(32),
  MQTT_URL: z.string(),
  MQTT_ADMIN_USERNAME: z.string(),
  MQTT_ADMIN_PASSWORD: z.string(),
  KAFKA_BROKERS: z.string().default('127.0.0.1:9092'),
});

/**
 * The four services as real processes on the test database, with consumer groups and an
 * MQTT share group of their own, so a running demo never takes the test's messages.
 */
export class PipelineHarness {
  readonly runId = randomUUID().slice(0, 8);
  readonly local = loadConfig(LocalEnv);
  readonly services: Record<ServiceName, ServiceProcess>;
  readonly admin: ApiClient;
  readonly nurse: ApiClient;
  private readonly deadLetters: DeadLetterV1[] = [];
  private dlqConsumer: BatchConsumer<typeof Topics.ingestDlq.schema> | null = null;

  readonly ports: Record<ServiceName, number>;
  private readonly logDir: string | undefined;

  constructor(
    private readonly overrides: Record<string, string> = {},
    options: HarnessOptions = {},
  ) {
    this.ports = options.ports ?? PORTS;
    this.logDir = options.logDir;
    this.services = {
      'vitals-store': this.service('vitals-store'),
      'rules-engine': this.service('rules-engine'),
      'ingest-gateway': this.service('ingest-gateway'),
      'care-api': this.service('care-api'),
    };
    const api = this.apiUrl;
    this.admin = new ApiClient(api, signDevToken({ sub: 'e2e-admin', role: 'admin' }, this.local.JWT_SECRET));
    this.nurse = new ApiClient(api, signDevToken({ sub: 'e2e-nurse', role: 'nurse', careTeams: [this.careTeam] }, this.local.JWT_SECRET));
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.ports['care-api']}`;
  }

  get careTeam(): string {
    return `e2e-${this.runId}`;
  }

  /** The environment of a service in this run; `generation` gives a fresh consumer group (a replay). */
  serviceEnv(name: ServiceName, generation = 0): Record<string, string> {
    const group = this.groupId(name, generation);
    return {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/rpm_test',
      KAFKA_NEW_GROUP_START: 'earliest',
      CARE_API_PORT: String(this.ports['care-api']),
      INGEST_PORT: String(this.ports['ingest-gateway']),
      RULES_ENGINE_PORT: String(this.ports['rules-engine']),
      VITALS_STORE_PORT: String(this.ports['vitals-store']),
      VITALS_STORE_URL: `http://127.0.0.1:${this.ports['vitals-store']}`,
      CARE_API_GROUP_ID: group,
      RULES_ENGINE_GROUP_ID: group,
      RULES_ENGINE_STATE_TOPIC: runStateTopic(`e2e-${this.runId}`),
      VITALS_STORE_GROUP_ID: group,
      INGEST_INSTANCE_ID: `e2e-${this.runId}`,
      INGEST_SHARE_GROUP: `e2e-${this.runId}`,
      INGEST_MQTT_CONNECTIONS: '2',
      INGEST_SESSION_EXPIRY_SECONDS: '600',
      ...this.overrides,
    };
  }

  service(name: ServiceName, generation = 0): ServiceProcess {
    const logFile = this.logDir ? join(this.logDir, `${name}.log`) : undefined;
    return new ServiceProcess(name, this.ports[name], this.serviceEnv(name, generation), [], logFile);
  }

  readonly kafka = createKafka({ brokers: this.local.KAFKA_BROKERS.split(','), clientId: 'e2e' }, new JsonLogger('e2e'));

  groupId(name: ServiceName, generation = 0): string {
    return `e2e-${this.runId}-${generation}-${name}`;
  }

  /** `readyTimeoutMs`: how long each service may take to boot (ts-node compiles on a busy machine can exceed the default minute). */
  async start({ readyTimeoutMs = 180_000 }: { readyTimeoutMs?: number } = {}): Promise<void> {
    const kafka = this.kafka;
    // This run's groups start at the topics' current end: earlier runs and a running demo
    // share the cluster, and their records are not this run's business.
    await Promise.all([
      startGroupAtEnd(kafka, this.groupId('vitals-store'), Topics.observations.name),
      startGroupAtEnd(kafka, this.groupId('rules-engine'), Topics.observations.name),
      startGroupAtEnd(kafka, this.groupId('care-api'), Topics.alerts.name),
      startGroupAtEnd(kafka, `${this.groupId('care-api')}-dead-letters`, Topics.ingestDlq.name),
      // Left out until issue 8: every run's care-api replayed all earlier runs' device statuses
      // (150,000 behind in a bench), loading care-api and PostgreSQL while latency was measured.
      startGroupAtEnd(kafka, `${this.groupId('care-api')}-device-status`, Topics.deviceStatus.name),
      startGroupAtEnd(kafka, `e2e-${this.runId}-dlq`, Topics.ingestDlq.name),
    ]);
    this.dlqConsumer = new BatchConsumer(kafka, {
      groupId: `e2e-${this.runId}-dlq`,
      topic: Topics.ingestDlq,
      log: new JsonLogger('e2e'),
      handleBatch: async (records) => {
        records.forEach((r) => r.value && this.deadLetters.push(r.value));
      },
    });
    await Promise.all([this.dlqConsumer.start(), ...Object.values(this.services).map((s) => s.start({ timeoutMs: readyTimeoutMs }))]);
  }

  /** Broker identities this run created; removed at the end so the broker's client list does not grow. */
  readonly brokerDevices: string[] = [];
  /** MQTT clients opened by the tests, ended by stop(). */
  readonly clients: MqttClient[] = [];

  /** A new patient in this run's care team, a device bound to it, and the device connected over MQTT. */
  async enrolledDevice(programs: string[] = ['heart_failure'], kind = 'bp_cuff') {
    const patient = await this.createPatient(programs);
    const registration = await this.registerDevice(patient.id, kind);
    const client = await connectDevice(registration.mqtt);
    this.clients.push(client);
    return { patient, registration, client, topic: registration.mqtt.topic };
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.endAsync()));
    await Promise.all(Object.values(this.services).map((s) => s.stop()));
    await this.dlqConsumer?.stop();
    await deleteTopicsWithPrefix(this.kafka, runStateTopic(`e2e-${this.runId}`));
    // The run's gateway sessions would otherwise queue every device message until they expire.
    const connections = Number(this.serviceEnv('ingest-gateway')['INGEST_MQTT_CONNECTIONS']);
    await discardMqttSessions(ingestCredentials(), Array.from({ length: connections }, (_, i) => `e2e-${this.runId}-c${i}`));
    const admin = { url: this.local.MQTT_URL, username: this.local.MQTT_ADMIN_USERNAME, password: this.local.MQTT_ADMIN_PASSWORD };
    for (const deviceId of this.brokerDevices) await deleteBrokerDevice(admin, deviceId).catch(() => undefined);
  }

  /**
   * The device's dead letters, one per rejected input. A message delivered twice (a resend,
   * or a demo gateway in another share group on the same broker) is dead-lettered twice:
   * the DLQ is at-least-once, so copies are folded here as an operator's tool would.
   */
  deadLettersOf(deviceId: string): DeadLetterV1[] {
    const unique = new Map<string, DeadLetterV1>();
    for (const d of this.deadLetters.filter((l) => l.deviceId === deviceId)) {
      unique.set(JSON.stringify([d.reason, d.messageId, d.readingIndex, d.rawPayloadBase64]), d);
    }
    return [...unique.values()];
  }

  async createPatient(programs: string[] = ['heart_failure']): Promise<PatientResponse> {
    const res = await this.admin.post<PatientResponse>('/api/v1/patients', {
      mrn: `MRN-${this.runId}-${randomUUID().slice(0, 6)}`,
      name: 'Test Patient',
      timezone: 'America/New_York',
      programs,
      careTeamId: this.careTeam,
    });
    if (res.status !== 201) throw new Error(`patient not created: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** An API client for another user of this run's care team. */
  as(sub: string, role: 'admin' | 'clinical_lead' | 'nurse'): ApiClient {
    return new ApiClient(this.apiUrl, signDevToken({ sub, role, careTeams: [this.careTeam] }, this.local.JWT_SECRET));
  }

  /** Resolves once the rules engine has evaluated (and committed) everything on rpm.observations.v1. */
  async waitForRulesEngine(): Promise<void> {
    await pollUntil(async () => ((await consumerGroupLag(this.kafka, this.groupId('rules-engine'), Topics.observations.name)) === 0 ? true : undefined), {
      what: 'the rules engine to catch up',
    });
  }

  async registerDevice(patientId: string, kind = 'bp_cuff'): Promise<DeviceRegistrationResponse> {
    const res = await this.admin.post<DeviceRegistrationResponse>('/api/v1/devices', {
      deviceId: `e2e-${this.runId}-${randomUUID().slice(0, 6)}`,
      patientId,
      kind,
    });
    if (res.status !== 201) throw new Error(`device not registered: ${res.status} ${JSON.stringify(res.body)}`);
    this.brokerDevices.push(res.body.deviceId);
    return res.body;
  }
}

export function deviceMessage(readings: unknown[], measuredAt = new Date(), messageId: string = randomUUID()): string {
  return JSON.stringify({ messageId, measuredAt: measuredAt.toISOString().replace('Z', '+00:00'), readings });
}
