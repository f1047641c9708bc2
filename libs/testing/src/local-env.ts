import { randomUUID } from 'node:crypto';
import { createKafka, type Kafka } from '@rpm/kafka';
import { JsonLogger, loadConfig } from '@rpm/service-kit';
import { z } from 'zod';

/** The migrated test database (infra/up.sh); never the demo's `rpm`. */
export const TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/rpm_test';

const LocalTestEnv = z.object({
  JWT_SECRET: z.string().min(32),
  MQTT_URL: z.string(),
  /** The broker's client-certificate listener (infra/secrets.sh writes it). */
  MQTT_CERT_URL: z.string().optional(),
  MQTT_ADMIN_USERNAME: z.string(),
  MQTT_ADMIN_PASSWORD: z.string(),
  MQTT_INGEST_USERNAME: z.string().optional(),
  MQTT_INGEST_PASSWORD: z.string().optional(),
  KAFKA_BROKERS: z.string().default('127.0.0.1:9092'),
});
export type LocalTestEnv = z.infer<typeof LocalTestEnv>;

/** The local secrets and broker addresses (.rpm/local.env overlaid by the environment). */
export function localTestEnv(): LocalTestEnv {
  return loadConfig(LocalTestEnv);
}

/** A short id that keeps one test run's groups, devices and records apart from every other. */
export function newRunId(prefix = 'int'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A Kafka client for a test process (its warnings go to stderr, without payloads). */
export function testKafka(runId: string, env: LocalTestEnv = localTestEnv()): Kafka {
  return createKafka({ brokers: env.KAFKA_BROKERS.split(','), clientId: runId }, new JsonLogger(runId));
}

/** The ingest gateway's broker credentials (.rpm/local.env). */
export function ingestCredentials(env: LocalTestEnv = localTestEnv()): { url: string; username: string; password: string } {
  if (!env.MQTT_INGEST_USERNAME || !env.MQTT_INGEST_PASSWORD) throw new Error('MQTT_INGEST_USERNAME/PASSWORD missing from .rpm/local.env');
  return { url: env.MQTT_URL, username: env.MQTT_INGEST_USERNAME, password: env.MQTT_INGEST_PASSWORD };
}
