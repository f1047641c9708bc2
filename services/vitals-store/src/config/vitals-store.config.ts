import { z } from 'zod';
import { KafkaEnv } from '@rpm/kafka';
import { HttpEnv, loadConfig } from '@rpm/service-kit';

const flag = z.enum(['true', 'false']).default('false').transform((v) => v === 'true');

const VitalsStoreConfig = z
  .object({
    VITALS_STORE_PORT: z.coerce.number().int().default(3003),
    ...KafkaEnv,
    ...HttpEnv,
    DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/rpm'),
    VITALS_STORE_GROUP_ID: z.string().default('vitals-store'),
    /** Raw readings are kept this many whole months before the current one, then their partition is dropped; unset: kept for ever. */
    VITALS_RETENTION_MONTHS: z.coerce.number().int().min(1).max(1200).optional(),
    /** Amazon Timestream for LiveAnalytics as a second sink beside PostgreSQL (docs/timestream.md, ADR 0010). */
    VITALS_TIMESTREAM_ENABLED: flag,
    VITALS_TIMESTREAM_DATABASE: z.string().min(1).optional(),
    VITALS_TIMESTREAM_TABLE: z.string().min(1).optional(),
    /** Credentials are not configuration: the AWS SDK's default chain finds them (environment, profile, role). */
    AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region such as eu-west-1').optional(),
    /** Attempts per WriteRecords call, the first included; a batch's retries also stop at its time budget (ADR 0010). */
    VITALS_TIMESTREAM_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(8).default(4),
    /** First retry waits up to this long; each further retry doubles it (full jitter, capped at 5 s). */
    VITALS_TIMESTREAM_BACKOFF_BASE_MS: z.coerce.number().int().min(10).max(5_000).default(200),
  })
  .superRefine((c, ctx) => {
    if (!c.VITALS_TIMESTREAM_ENABLED) return;
    for (const name of ['VITALS_TIMESTREAM_DATABASE', 'VITALS_TIMESTREAM_TABLE', 'AWS_REGION'] as const) {
      if (!c[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required when VITALS_TIMESTREAM_ENABLED=true' });
    }
  });
export type VitalsStoreConfig = z.infer<typeof VitalsStoreConfig>;

/** Where and how the Timestream sink writes; null when it is off. */
export interface TimestreamSettings {
  readonly database: string;
  readonly table: string;
  readonly region: string;
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
}

export function timestreamSettings(config: VitalsStoreConfig): TimestreamSettings | null {
  const { VITALS_TIMESTREAM_DATABASE: database, VITALS_TIMESTREAM_TABLE: table, AWS_REGION: region } = config;
  // The schema already refused an enabled sink without these; the check only narrows the types.
  if (!config.VITALS_TIMESTREAM_ENABLED || !database || !table || !region) return null;
  return { database, table, region, maxAttempts: config.VITALS_TIMESTREAM_MAX_ATTEMPTS, backoffBaseMs: config.VITALS_TIMESTREAM_BACKOFF_BASE_MS };
}

export const VITALS_STORE_CONFIG = Symbol('VITALS_STORE_CONFIG');
export const loadVitalsStoreConfig = (env?: Record<string, string | undefined>): VitalsStoreConfig =>
  env ? loadConfig(VitalsStoreConfig, env) : loadConfig(VitalsStoreConfig);
