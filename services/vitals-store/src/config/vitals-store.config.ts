import { z } from 'zod';
import { KafkaEnv } from '@rpm/kafka';
import { HttpEnv, loadConfig } from '@rpm/service-kit';

const VitalsStoreConfig = z.object({
  VITALS_STORE_PORT: z.coerce.number().int().default(3003),
  ...KafkaEnv,
  ...HttpEnv,
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/rpm'),
  VITALS_STORE_GROUP_ID: z.string().default('vitals-store'),
  /** Raw readings are kept this many whole months before the current one, then their partition is dropped; unset: kept for ever. */
  VITALS_RETENTION_MONTHS: z.coerce.number().int().min(1).max(1200).optional(),
});
export type VitalsStoreConfig = z.infer<typeof VitalsStoreConfig>;

export const VITALS_STORE_CONFIG = Symbol('VITALS_STORE_CONFIG');
export const loadVitalsStoreConfig = (env?: Record<string, string | undefined>): VitalsStoreConfig =>
  env ? loadConfig(VitalsStoreConfig, env) : loadConfig(VitalsStoreConfig);
