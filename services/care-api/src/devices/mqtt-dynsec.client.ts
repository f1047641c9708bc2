import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import mqtt, { type MqttClient } from 'mqtt';
import { JsonLogger, mqttTlsOptions } from '@rpm/service-kit';
import { CARE_API_CONFIG, type CareApiConfig } from '../config/care-api.config';
import { DynsecCorrelator, type DynsecCommand, type DynsecResponse } from './dynsec-correlator';

const CONTROL_TOPIC = '$CONTROL/dynamic-security/v1';
const RESPONSE_TOPIC = `${CONTROL_TOPIC}/response`;
/**
 * The broker answers in milliseconds, but rewrites its whole client list on every change,
 * so a broker holding many thousands of clients can take seconds; past this the API says so.
 */
const COMMAND_TIMEOUT_MS = 15_000;

export type { DynsecCommand, DynsecResponse };

/** Mosquitto's dynamic-security plugin, driven over its control topic as the admin client. */
@Injectable()
export class MqttDynsecClient implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new JsonLogger('care-api');
  private client: MqttClient | null = null;
  private readonly correlator = new DynsecCorrelator(COMMAND_TIMEOUT_MS);

  constructor(@Inject(CARE_API_CONFIG) private readonly config: CareApiConfig) {}

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  async onModuleInit(): Promise<void> {
    const client = mqtt.connect(this.config.MQTT_URL, {
      ...mqttTlsOptions(this.config.MQTT_URL, { caFile: this.config.MQTT_CA_FILE }),
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
      if (topic === RESPONSE_TOPIC) this.correlator.receive(payload);
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
    const { payload, answers } = this.correlator.prepare(commands);
    await client.publishAsync(CONTROL_TOPIC, payload, { qos: 1 });
    return answers;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.endAsync();
  }
}
