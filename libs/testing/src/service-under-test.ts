import { join } from 'node:path';
import { Topics } from '@rpm/contracts';
import { startGroupAtEnd, type Kafka } from '@rpm/kafka';
import { workspaceRoot } from '@rpm/service-kit';
import { TEST_DATABASE_URL } from './local-env';
import { ServiceProcess, type ServiceName } from './service-process';

/** The rules-state changelog of a test run (deleteTopicsWithPrefix(kafka, runStateTopic(runId)) removes it). */
export const runStateTopic = (runId: string): string => `${Topics.rulesState.name}.${runId.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/**
 * How each service is told its HTTP port, and which consumer group (env, topic) it runs; `more`:
 * further groups the service derives from the same name (care-api's dead letters: `{group}-dead-letters`).
 */
const WIRING: Record<ServiceName, { portEnv: string; group?: { env: string; topic: string; more?: readonly { suffix: string; topic: string }[] } }> = {
  'care-api': { portEnv: 'CARE_API_PORT', group: { env: 'CARE_API_GROUP_ID', topic: Topics.alerts.name, more: [{ suffix: '-dead-letters', topic: Topics.ingestDlq.name }] } },
  'ingest-gateway': { portEnv: 'INGEST_PORT' },
  'rules-engine': { portEnv: 'RULES_ENGINE_PORT', group: { env: 'RULES_ENGINE_GROUP_ID', topic: Topics.observations.name } },
  'vitals-store': { portEnv: 'VITALS_STORE_PORT', group: { env: 'VITALS_STORE_GROUP_ID', topic: Topics.observations.name } },
};

export interface ServiceUnderTestOptions {
  readonly name: ServiceName;
  readonly runId: string;
  readonly port: number;
  readonly kafka: Kafka;
  /** Extra or overriding environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * One service as a real process for an integration test: its own port, its own consumer
 * group preset to the end of its topic (a shared cluster's old records are not replayed),
 * its own MQTT share group and session ids, the test database, and a log file per run
 * (.data/logs/<runId>-<name>.log).
 */
export function serviceUnderTest({ name, runId, port, env = {} }: Omit<ServiceUnderTestOptions, 'kafka'>): ServiceProcess {
  const wiring = WIRING[name];
  const safeRunId = runId.replace(/[^A-Za-z0-9_-]/g, '-');
  return new ServiceProcess(
    name,
    port,
    {
      DATABASE_URL: TEST_DATABASE_URL,
      KAFKA_NEW_GROUP_START: 'earliest',
      [wiring.portEnv]: String(port),
      ...(wiring.group ? { [wiring.group.env]: `${runId}-${name}` } : {}),
      // A private state changelog, like the private group: other engines on the cluster write their own.
      ...(name === 'rules-engine' ? { RULES_ENGINE_STATE_TOPIC: runStateTopic(runId) } : {}),
      INGEST_SHARE_GROUP: safeRunId,
      INGEST_INSTANCE_ID: safeRunId,
      INGEST_MQTT_CONNECTIONS: '2',
      INGEST_SESSION_EXPIRY_SECONDS: '600',
      ...env,
    },
    [],
    join(workspaceRoot(), '.data', 'logs', `${runId}-${name}.log`),
  );
}

/** Presets the service's consumer group to the end of its topic, then starts it and waits for /readyz. */
export async function startServiceUnderTest(options: ServiceUnderTestOptions): Promise<ServiceProcess> {
  const group = WIRING[options.name].group;
  if (group) {
    const name = options.env?.[group.env] ?? `${options.runId}-${options.name}`;
    await startGroupAtEnd(options.kafka, name, group.topic);
    for (const more of group.more ?? []) await startGroupAtEnd(options.kafka, `${name}${more.suffix}`, more.topic);
  }
  const service = serviceUnderTest(options);
  await service.start();
  return service;
}
