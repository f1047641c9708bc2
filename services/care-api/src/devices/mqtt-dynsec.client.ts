import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
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
}

/**
 * Mosquitto's dynamic-security plugin, driven over its control topic as the admin
 * client. The broker answers each command batch in order on the response topic, so
 * batches are sent one at a time and matched to the next response.
 */
@Injectable()
export class MqttDynsecClient implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new JsonLogger('care-api');
  private client: MqttClient | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private waiting: ((responses: DynsecResponse[]) => void) | null = null;

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
      if (topic !== RESPONSE_TOPIC || !this.waiting) return;
      const body = JSON.parse(payload.toString('utf8')) as { responses?: DynsecResponse[] };
      const resolve = this.waiting;
      this.waiting = null;
      resolve(body.responses ?? []);
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => client.subscribe(RESPONSE_TOPIC, { qos: 1 }, (e) => (e ? reject(e) : resolve())));
      client.once('error', reject);
    });
  }

  /** Sends a batch of commands; resolves with the broker's response to each. */
  execute(commands: DynsecCommand[]): Promise<DynsecResponse[]> {
    const run = async (): Promise<DynsecResponse[]> => {
      const client = this.client;
      if (!client?.connected) throw new Error('MQTT broker (dynamic security) unreachable');
      const answered = new Promise<DynsecResponse[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.waiting = null;
          reject(new Error('dynamic-security command timed out'));
        }, COMMAND_TIMEOUT_MS);
        this.waiting = (responses) => {
          clearTimeout(timer);
          resolve(responses);
        };
      });
      await client.publishAsync(CONTROL_TOPIC, JSON.stringify({ commands }), { qos: 1 });
      return answered;
    };
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.endAsync();
  }
}
