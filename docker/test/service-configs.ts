import { loadConfig } from '@rpm/service-kit';
import { loadCareApiConfig } from '../../services/care-api/src/config/care-api.config';
import { SimulatorEnv } from '../../services/device-simulator/src/config/simulator.config';
import { loadIngestConfig } from '../../services/ingest-gateway/src/config/ingest.config';
import { loadRulesEngineConfig } from '../../services/rules-engine/src/config/rules-engine.config';
import { loadVitalsStoreConfig } from '../../services/vitals-store/src/config/vitals-store.config';

type Env = Readonly<Record<string, string>>;

/**
 * Parses `env` with the service's own config loader, exactly as at boot, with nothing else
 * in the environment (no .rpm/local.env, no variables of the test process). zod keeps only
 * the keys its schema reads, so a key of `env` missing from the result is one the service
 * never reads: a misspelt or stale variable in the compose file or a Dockerfile.
 */
function withOnlyEnv<T>(env: Env, load: () => T): T {
  const saved = process.env;
  process.env = { ...env, RPM_ENV_FILE: '/nonexistent/rpm-local.env' };
  try {
    return load();
  } finally {
    process.env = saved;
  }
}

export interface AppService {
  /** The variable holding the HTTP port (null: no HTTP port, a CLI or one-shot job). */
  readonly portVariable: string | null;
  readonly entry: string;
  /** The parsed configuration; throws "Invalid environment" naming the variable when a value is refused. */
  readonly parse: (env: Env) => Readonly<Record<string, unknown>>;
}

export const APP_SERVICES: Readonly<Record<string, AppService>> = {
  'care-api': { portVariable: 'CARE_API_PORT', entry: 'services/care-api/src/main.ts', parse: (env) => withOnlyEnv(env, loadCareApiConfig) },
  'ingest-gateway': { portVariable: 'INGEST_PORT', entry: 'services/ingest-gateway/src/main.ts', parse: (env) => withOnlyEnv(env, loadIngestConfig) },
  'rules-engine': { portVariable: 'RULES_ENGINE_PORT', entry: 'services/rules-engine/src/main.ts', parse: (env) => withOnlyEnv(env, loadRulesEngineConfig) },
  'vitals-store': { portVariable: 'VITALS_STORE_PORT', entry: 'services/vitals-store/src/main.ts', parse: (env) => loadVitalsStoreConfig(env) },
  'device-simulator': { portVariable: null, entry: 'services/device-simulator/src/main.ts', parse: (env) => loadConfig(SimulatorEnv, env) },
  // scripts/migrate.ts reads DATABASE_URL and nothing else (besides its --database-url flag).
  migrate: {
    portVariable: null,
    entry: 'scripts/migrate.ts',
    parse: (env) => Object.fromEntries(Object.entries(env).filter(([k]) => k === 'DATABASE_URL')),
  },
};

/** Read by Node.js itself, not by a service's schema. */
export const NODE_RUNTIME_VARIABLES = ['NODE_OPTIONS'];
