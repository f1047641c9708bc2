import { z } from 'zod';
import { Topics } from '@rpm/contracts';
import { KafkaEnv } from '@rpm/kafka';
import { HttpEnv, loadConfig } from '@rpm/service-kit';

const flag = z.enum(['true', 'false']).default('false').transform((v) => v === 'true');

const RulesEngineConfig = z
  .object({
    RULES_ENGINE_PORT: z.coerce.number().int().default(3002),
    ...KafkaEnv,
    ...HttpEnv,
    RULES_ENGINE_GROUP_ID: z.string().default('rules-engine'),
    /**
     * The state changelog; one per engine deployment, like its consumer group (tests run their
     * own beside a demo on one cluster). Created, partitioned like the observations, if missing.
     */
    RULES_ENGINE_STATE_TOPIC: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/).default(Topics.rulesState.name),
    /** How often silent patients are checked for AD-01. */
    RULES_ENGINE_SILENCE_CHECK_MS: z.coerce.number().int().positive().default(60_000),
    /**
     * Tests only: the engine's clock stands still and moves by POST /test/clock/advance, so a
     * 48 h silence takes no 48 h. Refused in production.
     */
    RULES_ENGINE_MANUAL_CLOCK: flag,
    NODE_ENV: z.string().default('development'),
  })
  .refine((c) => !(c.RULES_ENGINE_MANUAL_CLOCK && c.NODE_ENV === 'production'), {
    message: 'RULES_ENGINE_MANUAL_CLOCK must not be set in production',
    path: ['RULES_ENGINE_MANUAL_CLOCK'],
  });
export type RulesEngineConfig = z.infer<typeof RulesEngineConfig>;

export const RULES_ENGINE_CONFIG = Symbol('RULES_ENGINE_CONFIG');
export const loadRulesEngineConfig = (): RulesEngineConfig => loadConfig(RulesEngineConfig);
