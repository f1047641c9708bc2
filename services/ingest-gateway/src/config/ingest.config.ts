import { z } from 'zod';
import { KafkaEnv } from '@rpm/kafka';
import { HttpEnv, loadConfig, MqttTlsEnv, requireTlsMqttInProduction } from '@rpm/service-kit';

const IngestConfig = z
  .object({
    INGEST_PORT: z.coerce.number().int().default(3001),
    ...KafkaEnv,
    ...HttpEnv,
    MQTT_URL: z.string().default('mqtts://127.0.0.1:8884'),
    ...MqttTlsEnv,
    MQTT_INGEST_USERNAME: z.string().min(1),
    MQTT_INGEST_PASSWORD: z.string().min(1),
    /** Stable per instance: the broker keeps unacknowledged messages in this instance's sessions. */
    INGEST_INSTANCE_ID: z.string().regex(/^[A-Za-z0-9_-]+$/).default('ingest-1'),
    /**
     * Connections per instance in the shared subscription, each a persistent session. Each takes
     * up to INGEST_MQTT_RECEIVE_MAXIMUM messages at once (the PUBACKs wait for Kafka, in order), so
     * 4 carried as much as 32 did (docs/performance.md, issue 8). 8: while the gateway or Kafka is
     * down, Mosquitto queues at most max_queued_messages (100,000) per session, 800,000 messages.
     */
    INGEST_MQTT_CONNECTIONS: z.coerce.number().int().min(1).max(64).default(8),
    /** Messages a connection holds unacknowledged (MQTT receive maximum): the gateway's bound on what it buffers. */
    INGEST_MQTT_RECEIVE_MAXIMUM: z.coerce.number().int().min(1).max(65_535).default(100),
    INGEST_SHARE_GROUP: z.string().regex(/^[A-Za-z0-9_-]+$/).default('ingest'),
    /**
     * How long the broker keeps an instance's session (and its unacknowledged messages) while it is
     * down. At least a minute: with 0 the broker would discard them as the connection closes.
     */
    INGEST_SESSION_EXPIRY_SECONDS: z.coerce.number().int().min(60).max(0xffff_ffff).default(7 * 24 * 3600),
    /** With production, MQTT_URL must use TLS. */
    NODE_ENV: z.string().default('development'),
  })
  .superRefine((c, ctx) => requireTlsMqttInProduction(c.NODE_ENV, { MQTT_URL: c.MQTT_URL }, ctx));
export type IngestConfig = z.infer<typeof IngestConfig>;

export const INGEST_CONFIG = Symbol('INGEST_CONFIG');
export const loadIngestConfig = (): IngestConfig => loadConfig(IngestConfig);
