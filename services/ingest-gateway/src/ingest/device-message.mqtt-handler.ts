import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JsonLogger, mqttTlsOptions } from '@rpm/service-kit';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { OrderedAckSubscriber } from '../mqtt/ordered-ack-subscriber';
import { IngestService } from './ingest.service';
import { countInflightFrom, ingestMetrics } from './ingest.metrics';

/** Kafka write retries back off up to this; the PUBACK is held meanwhile, so nothing is lost. */
const MAX_RETRY_BACKOFF_MS = 5_000;
/** On shutdown, how long in-flight messages get to reach Kafka before the connections close. */
const DRAIN_TIMEOUT_MS = 15_000;

/**
 * MQTT in (thin). Members of the shared subscription, each with a persistent session and up to
 * INGEST_MQTT_RECEIVE_MAXIMUM messages in flight. A message is PUBACKed to the broker only after
 * Kafka acknowledged its records, in arrival order; until then the broker holds it in our session
 * and redelivers it if we die.
 */
@Injectable()
export class DeviceMessageMqttHandler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new JsonLogger('ingest-gateway');
  private readonly subscribers: OrderedAckSubscriber[] = [];
  private draining = false;

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly ingest: IngestService,
  ) {}

  get connected(): boolean {
    return this.subscribers.length > 0 && this.subscribers.every((s) => s.subscribed);
  }

  /** After every module is ready (registry caught up, producer connected): queued messages flow at once. */
  async onApplicationBootstrap(): Promise<void> {
    const tls = mqttTlsOptions(this.config.MQTT_URL, { caFile: this.config.MQTT_CA_FILE });
    for (let i = 0; i < this.config.INGEST_MQTT_CONNECTIONS; i++) {
      const subscriber = new OrderedAckSubscriber({
        url: this.config.MQTT_URL,
        tls,
        clientId: `${this.config.INGEST_INSTANCE_ID}-c${i}`,
        username: this.config.MQTT_INGEST_USERNAME,
        password: this.config.MQTT_INGEST_PASSWORD,
        filter: `$share/${this.config.INGEST_SHARE_GROUP}/rpm/devices/+/readings`,
        sessionExpiryInterval: this.config.INGEST_SESSION_EXPIRY_SECONDS,
        receiveMaximum: this.config.INGEST_MQTT_RECEIVE_MAXIMUM,
        onMessage: (topic, payload, closed) => this.retryUntilAcknowledged(topic, payload, new Date(), closed),
        log: this.log,
      });
      subscriber.start();
      this.subscribers.push(subscriber);
    }
    countInflightFrom(() => this.subscribers.reduce((sum, s) => sum + s.inflight, 0));
    const deadline = Date.now() + 30_000;
    while (!this.connected) {
      if (Date.now() > deadline) throw new Error('MQTT subscriptions not established within 30 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Retries with backoff until Kafka has the records; false (no PUBACK) only when shutting down
   * first, or once the connection it came on has closed (the broker redelivers it to the next).
   */
  private async retryUntilAcknowledged(topic: string, payload: Buffer, receivedAt: Date, closed: AbortSignal): Promise<boolean> {
    let backoffMs = 100;
    for (;;) {
      try {
        await this.ingest.ingest({ mqttTopic: topic, payload, receivedAt });
        return true;
      } catch (error) {
        ingestMetrics.kafkaWriteRetries.inc();
        this.log.warn('kafka write failed; PUBACK held, retrying', { topic, error: String(error), backoffMs });
        if (this.draining || closed.aborted) return false;
        // Jittered, so connections that failed together do not retry in lockstep.
        await new Promise((r) => setTimeout(r, backoffMs * (0.5 + Math.random())));
        backoffMs = Math.min(backoffMs * 2, MAX_RETRY_BACKOFF_MS);
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.draining = true;
    const unacknowledged = await Promise.all(this.subscribers.map((s) => s.stop(DRAIN_TIMEOUT_MS)));
    const left = unacknowledged.reduce((sum, n) => sum + n, 0);
    if (left > 0) this.log.warn('closed with unacknowledged messages; the broker will redeliver them', { inflight: left });
  }
}
