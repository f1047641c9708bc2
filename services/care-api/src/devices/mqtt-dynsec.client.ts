import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { JsonLogger } from '@rpm/service-kit';
import { CARE_API_CONFIG, type CareApiConfig } from '../config/care-api.config';

const CONTROL_TOPIC = '$CONTROL/dynamic-security/v1';
const RESPONSE_TOPIC = `${CONTROL_TOPIC}/response`;
/** The broker answers in milliseconds; past this something is wrong and the API says so. */
const COMMAND_TIMEOUT_MS = 5_000;

export type DynsecCommand = Record<string, unknown> & { command: string };
export interface DynsecResponse {
  command: string;
  error?: string;
  correlationData?: string;
}

/**
 * Mosquitto's dynamic-security plugin, driven over its control topic as the admin
 * client. Every admin connection sees every response, so each command carries a
 * correlationData id and its answer is matched by it (several care-api instances are safe).
 */
@Injectable()
export class MqttDynsecClient implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new JsonLogger('care-api');
  private client: MqttClient | null = null;
  private readonly waiting = new Map<string, (response: DynsecResponse) => void>();

  constructor(@Inject(CARE_API_CONFIG) private readonly config: CareApiConfig) {}

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  async onModuleInit(): Promise<void> {
    const client = mqtt.connect(this.config.MQTT_URL, {
      protocolVersion: 5,
      clientId: `care-api-dynsec-${process.pid}`,
      username: this.config.MQTT_ADMIN_USERNAME,
      password: this.config.MQTT_ADMIN_PASSWORD,
      clean: true,
      reconnectPeriod: 1_000,
    });
    this.client = client;
    client.on('error', (error) => this.log.warn('mqtt admin error', { error: error.message }));
    client.on('message', (topic, payload) => {
      if (topic !== RESPONSE_TOPIC) return;
      const body = JSON.parse(payload.toString('utf8')) as { responses?: DynsecResponse[] };
      for (const response of body.responses ?? []) {
        const resolve = response.correlationData ? this.waiting.get(response.correlationData) : undefined;
        if (!resolve || !response.correlationData) continue;
        this.waiting.delete(response.correlationData);
        resolve(response);
      }
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => client.subscribe(RESPONSE_TOPIC, { qos: 1 }, (e) => (e ? reject(e) : resolve())));
      client.once('error', reject);
    });
  }

  /** Sends a batch of commands; resolves with the broker's response to each, in order. */
  async execute(commands: DynsecCommand[]): Promise<DynsecResponse[]> {
    const client = this.client;
    if (!client?.connected) throw new Error('MQTT broker (dynamic security) unreachable');
    const tagged = commands.map((c) => ({ ...c, correlationData: randomUUID() }));
    const answers = tagged.map(
      (c) =>
        new Promise<DynsecResponse>((resolve, reject) => {
          const timer = setTimeout(() => {
            this.waiting.delete(c.correlationData);
            reject(new Error(`dynamic-security ${c.command} timed out`));
          }, COMMAND_TIMEOUT_MS);
          this.waiting.set(c.correlationData, (response) => {
            clearTimeout(timer);
            resolve(response);
          });
        }),
    );
    await client.publishAsync(CONTROL_TOPIC, JSON.stringify({ commands: tagged }), { qos: 1 });
    return Promise.all(answers);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.endAsync();
  }
}
