import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import mqtt, { type ISubscriptionMap, type MqttClient } from 'mqtt';
import { JsonLogger, mqttTlsOptions } from '@rpm/service-kit';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { IngestService } from './ingest.service';
import { ingestMetrics } from './ingest.metrics';

/** Kafka write retries back off up to this; the PUBACK is held meanwhile, so nothing is lost. */
const MAX_RETRY_BACKOFF_MS = 5_000;
/** On shutdown, how long in-flight messages get to reach Kafka before the connections close. */
const DRAIN_TIMEOUT_MS = 15_000;

/**
 * MQTT in (thin). Members of the shared subscription, each with a persistent session.
 * A message is PUBACKed to the broker only after Kafka acknowledged its records; until
 * then the broker holds it in our session and redelivers it if we die.
 */
@Injectable()
export class DeviceMessageMqttHandler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new JsonLogger('ingest-gateway');
  private readonly clients: MqttClient[] = [];
  private readonly subscribed = new Set<MqttClient>();
  private inflight = 0;
  private draining = false;

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly ingest: IngestService,
  ) {}

  get connected(): boolean {
    return this.clients.length > 0 && this.clients.every((c) => c.connected && this.subscribed.has(c));
  }

  /** After every module is ready (registry caught up, producer connected): queued messages flow at once. */
  async onApplicationBootstrap(): Promise<void> {
    const filter = `$share/${this.config.INGEST_SHARE_GROUP}/rpm/devices/+/readings`;
    const tls = mqttTlsOptions(this.config.MQTT_URL, { caFile: this.config.MQTT_CA_FILE });
    for (let i = 0; i < this.config.INGEST_MQTT_CONNECTIONS; i++) {
      const clientId = `${this.config.INGEST_INSTANCE_ID}-c${i}`;
      const client = mqtt.connect(this.config.MQTT_URL, {
        ...tls,
        protocolVersion: 5,
        clientId,
        username: this.config.MQTT_INGEST_USERNAME,
        password: this.config.MQTT_INGEST_PASSWORD,
        clean: false,
        properties: { sessionExpiryInterval: this.config.INGEST_SESSION_EXPIRY_SECONDS, receiveMaximum: 100 },
        reconnectPeriod: 1_000,
        connectTimeout: 5_000,
        customHandleAcks: (topic, payload, _packet, done) => this.onPublish(topic, payload, done),
      });
      client.on('connect', () => {
        this.log.info('mqtt connected', { clientId });
        // Always sent, also on a resumed session (resubscribe: true). mqtt.js otherwise skips a
        // subscription it believes the session still holds, and Mosquitto 2.0.11 restores the
        // session but not its shared subscription after a restart: the gateway sat connected and
        // unsubscribed while devices got PUBACK 0x10 (found by npm run test:faults).
        const subscription = Object.assign({ [filter]: { qos: 1 as const } }, { resubscribe: true }) as ISubscriptionMap;
        client.subscribe(subscription, (error, granted) => {
          if (error || !granted?.length || granted.some((g) => g.qos > 2)) {
            this.log.error('mqtt subscribe refused', { clientId, error: error?.message, granted: granted?.map((g) => g.qos) });
            return;
          }
          this.subscribed.add(client);
        });
      });
      client.on('close', () => this.subscribed.delete(client));
      client.on('error', (error) => this.log.warn('mqtt error', { clientId, error: error.message }));
      this.clients.push(client);
    }
    const deadline = Date.now() + 30_000;
    while (!this.connected) {
      if (Date.now() > deadline) throw new Error('MQTT subscriptions not established within 30 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private onPublish(topic: string, payload: Buffer, done: (errorOrCode: Error | number, code?: number) => void): void {
    // While draining, new deliveries stay unacknowledged: the broker redelivers them later.
    if (this.draining) return;
    this.inflight++;
    const receivedAt = new Date();
    void this.writeUntilAcknowledged(topic, payload, receivedAt)
      .then((written) => {
        if (written) done(0);
      })
      .catch((error: unknown) => this.log.error('PUBACK not sent; the broker will redeliver', { topic, error: String(error) }))
      .finally(() => {
        this.inflight--;
      });
  }

  /** Retries with backoff until Kafka has the records; false only when shutting down first. */
  private async writeUntilAcknowledged(topic: string, payload: Buffer, receivedAt: Date): Promise<boolean> {
    let backoffMs = 100;
    for (;;) {
      try {
        await this.ingest.ingest({ mqttTopic: topic, payload, receivedAt });
        return true;
      } catch (error) {
        ingestMetrics.kafkaWriteRetries.inc();
        this.log.warn('kafka write failed; PUBACK held, retrying', { topic, error: String(error), backoffMs });
        if (this.draining) return false;
        // Jittered, so connections that failed together do not retry in lockstep.
        await new Promise((r) => setTimeout(r, backoffMs * (0.5 + Math.random())));
        backoffMs = Math.min(backoffMs * 2, MAX_RETRY_BACKOFF_MS);
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.draining = true;
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (this.inflight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    if (this.inflight > 0) this.log.warn('closing with unacknowledged messages; the broker will redeliver them', { inflight: this.inflight });
    // The PUBACKs of finished messages were written already; force-close skips nothing we owe.
    await Promise.all(this.clients.map((c) => c.endAsync(true)));
  }
}
