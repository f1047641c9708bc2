/**
 * A private Kafka, Mosquitto and PostgreSQL for the fault suite, started and stopped by the
 * suite itself on ports and a data dir of their own: killing or restarting them never
 * touches the shared stack (9092, 8884/8885/1884, 5432) that other test runs use.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { workspaceRoot } from '@rpm/service-kit';
import type { ServiceName } from '@rpm/testing';

const run = promisify(execFile);

export interface StackSlot {
  /** Relative to the repo root. */
  readonly dataDir: string;
  readonly kafkaPort: number;
  readonly kafkaControllerPort: number;
  readonly mqttPort: number;
  readonly mqttTlsPort: number;
  readonly mqttCertPort: number;
  readonly pgPort: number;
  readonly database: string;
  readonly services: Record<ServiceName, number>;
}

/** `npm run test:faults` and `npm run bench:backpressure`. */
export const FULL_SLOT: StackSlot = {
  dataDir: '.data/faults',
  kafkaPort: 19092,
  kafkaControllerPort: 19093,
  mqttPort: 11884,
  mqttTlsPort: 18884,
  mqttCertPort: 18885,
  pgPort: 15433,
  database: 'rpm_faults',
  services: { 'care-api': 13800, 'ingest-gateway': 13801, 'rules-engine': 13802, 'vitals-store': 13803 },
};

/** The short version in `npm test` (test/faults.e2e-spec.ts): apart from the full suite's, so both may run at once. */
export const E2E_SLOT: StackSlot = {
  dataDir: '.data/faults-e2e',
  kafkaPort: 19192,
  kafkaControllerPort: 19193,
  mqttPort: 11984,
  mqttTlsPort: 18984,
  mqttCertPort: 18985,
  pgPort: 15434,
  database: 'rpm_faults',
  services: { 'care-api': 13900, 'ingest-gateway': 13901, 'rules-engine': 13902, 'vitals-store': 13903 },
};

export class PrivateStack {
  readonly root = workspaceRoot();

  constructor(readonly slot: StackSlot) {}

  /** The environment of the infra scripts (and of every client of this stack). */
  get infraEnv(): Record<string, string> {
    const s = this.slot;
    return {
      RPM_DATA_DIR: s.dataDir,
      RPM_KAFKA_PORT: String(s.kafkaPort),
      RPM_KAFKA_CONTROLLER_PORT: String(s.kafkaControllerPort),
      RPM_MQTT_PORT: String(s.mqttPort),
      RPM_MQTT_TLS_PORT: String(s.mqttTlsPort),
      RPM_MQTT_CERT_PORT: String(s.mqttCertPort),
      RPM_PG_PORT: String(s.pgPort),
    };
  }

  /** What services and test clients need to talk to this stack (overrides .rpm/local.env). */
  get clientEnv(): Record<string, string> {
    const s = this.slot;
    return {
      KAFKA_BROKERS: `127.0.0.1:${s.kafkaPort}`,
      MQTT_URL: `mqtts://127.0.0.1:${s.mqttTlsPort}`,
      MQTT_CERT_URL: `mqtts://127.0.0.1:${s.mqttCertPort}`,
      DATABASE_URL: this.databaseUrl,
    };
  }

  get databaseUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.slot.pgPort}/${this.slot.database}`;
  }

  get dataPath(): string {
    return join(this.root, this.slot.dataDir);
  }

  get logDir(): string {
    return join(this.dataPath, 'logs');
  }

  async script(path: string, ...args: string[]): Promise<string> {
    try {
      const { stdout, stderr } = await run('bash', [join(this.root, path), ...args], {
        cwd: this.root,
        env: { ...process.env, ...this.infraEnv, NO_COLOR: '1' },
        maxBuffer: 16 * 1024 * 1024,
      });
      return stdout + stderr;
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`${path} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  }

  /**
   * From scratch: whatever an earlier run left in this slot is stopped and deleted, then
   * Mosquitto, Kafka (topics) and a PostgreSQL cluster (migrated) are started.
   */
  async up(log: (line: string) => void = () => undefined): Promise<void> {
    // The shared secrets and TLS material with the default ports: a fresh checkout must not
    // get the private ports written into .rpm/local.env.
    await run('bash', [join(this.root, 'infra/secrets.sh')], { cwd: this.root });
    await run('bash', [join(this.root, 'infra/tls.sh')], { cwd: this.root });
    await this.down();
    rmSync(this.dataPath, { recursive: true, force: true });
    log(`private stack in ${this.slot.dataDir}: Kafka ${this.slot.kafkaPort}, MQTT TLS ${this.slot.mqttTlsPort}, PostgreSQL ${this.slot.pgPort}`);
    // allSettled: when one fails, the other has finished starting (and written its pid file) before
    // the caller's tearDown stops the stack; Promise.all left a Mosquitto running after a failed run.
    const started = await Promise.allSettled([
      this.script('infra/mosquitto/up.sh'),
      this.script('infra/postgres/private.sh', 'up', this.slot.database).then(() => this.migrate()),
    ]);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    await this.script('infra/kafka/up.sh');
  }

  async migrate(): Promise<void> {
    await run(process.execPath, [join(this.root, 'scripts/run-ts.js'), join(this.root, 'scripts/migrate.ts'), '--database-url', this.databaseUrl], {
      cwd: this.root,
    });
  }

  async down(): Promise<void> {
    await this.script('infra/kafka/down.sh').catch(() => undefined);
    await this.script('infra/mosquitto/down.sh').catch(() => undefined);
    // destroy: the cluster may live outside dataPath (/var/tmp, when postgres cannot reach this checkout).
    await this.script('infra/postgres/private.sh', 'destroy').catch(() => undefined);
  }

  pidOf(component: 'kafka' | 'mosquitto'): number | undefined {
    const file = join(this.dataPath, 'run', `${component}.pid`);
    if (!existsSync(file)) return undefined;
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && existsSync(`/proc/${pid}`) ? pid : undefined;
  }

  /** kill -9 of the broker (this stack's: its pid file), then waits for the process to be gone. */
  async kill9(component: 'kafka' | 'mosquitto'): Promise<void> {
    const pid = this.pidOf(component);
    if (!pid) throw new Error(`${component} of ${this.slot.dataDir} is not running`);
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 200 && existsSync(`/proc/${pid}`) && !isZombie(pid); i++) await sleep(50);
  }

  async startKafka(): Promise<void> {
    await this.script('infra/kafka/up.sh');
  }

  async startMosquitto(): Promise<void> {
    await this.script('infra/mosquitto/up.sh');
  }

  /** SIGTERM: Mosquitto writes its persistence DB and exits. */
  async stopMosquitto(): Promise<void> {
    await this.script('infra/mosquitto/down.sh');
  }

  async restartPostgres(mode: 'fast' | 'immediate'): Promise<void> {
    await this.script('infra/postgres/private.sh', 'restart', mode);
  }
}

function isZombie(pid: number): boolean {
  try {
    return /State:\s+Z/.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
