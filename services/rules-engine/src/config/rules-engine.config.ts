import { z } from 'zod';
import { KafkaEnv } from '@rpm/kafka';
import { HttpEnv, loadConfig } from '@rpm/service-kit';

const RulesEngineConfig = z.object({
  RULES_ENGINE_PORT: z.coerce.number().int().default(3002),
  ...KafkaEnv,
  ...HttpEnv,
  RULES_ENGINE_GROUP_ID: z.string().default('rules-engine'),
});
export type RulesEngineConfig = z.infer<typeof RulesEngineConfig>;

export const RULES_ENGINE_CONFIG = Symbol('RULES_ENGINE_CONFIG');
export const loadRulesEngineConfig = (): RulesEngineConfig => loadConfig(RulesEngineConfig);
