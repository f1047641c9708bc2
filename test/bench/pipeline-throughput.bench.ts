/**
 * npm run bench: the whole pipeline under an open-loop device fleet, against the ceilings of its
 * parts measured in the same run (Mosquitto alone, Kafka's producer tool, PostgreSQL COPY).
 * Prints figures and asserts nothing; the last line printed is the path of the JSON result.
 *   npm run bench [-- --devices 5000 --rate 1 --duration 60 --out-of-range 0.01 --connections 8 --skip-ceilings --pin]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { Pool } from 'pg';
import { Topics } from '@rpm/contracts';
import { consumerGroupLag } from '@rpm/kafka';
import { signDevToken } from '@rpm/service-kit';
import { pollUntil, readMetric, type ServiceName } from '@rpm/testing';
import { PipelineHarness } from '../pipeline-harness';
import { accountAlerts, accountStored, resolveOpenBenchAlerts } from './pipeline/accounting';
import { AlertWatch } from './pipeline/alert-watch';
import { ceilingsOf, reportRun, type RunFigures, type Sample } from './pipeline/bench-report';
import { kafkaProducerCeiling, postgresCopyCeiling } from './pipeline/ceilings';
import { ensureFleet } from './pipeline/fleet';
import { allCpus, listenerPid, pinToCpus } from './pipeline/cpu-pinning';
import { GeneratorProcess } from './pipeline/generator-process';
import type { GeneratorResult } from './pipeline/load-generator';
import { READINGS_PER_MESSAGE, VITALS_PER_MESSAGE } from './pipeline/payload';
import { mosquittoCeiling } from './pipeline/mosquitto-ceiling';
import { pidOf, pidsOf, processUsage, STACK_PROCESS, type ProcessUsage } from './pipeline/process-usage';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const settings = {
  devices: Number(arg('devices', '5000')),
  rate: Number(arg('rate', '1')),
  durationS: Number(arg('duration', '60')),
  outOfRangeShare: Number(arg('out-of-range', '0.01')),
  // The gateway's own default (services/ingest-gateway/src/config/ingest.config.ts); the test harness uses 2.
  connections: Number(arg('connections', '8')),
  database: arg('database', 'rpm_bench_pipeline'),
  ceilings: !process.argv.includes('--skip-ceilings'),
  // The pipeline (services, Kafka, PostgreSQL) on CPU 0, the generator, Mosquitto and this driver on
  // CPU 1: what the pipeline does with the load generator as good as elsewhere (cpu-pinning.ts).
  pinned: process.argv.includes('--pin'),
};
/** Apart from the tests' port sets, so a bench can run beside a test suite (both slowed, of course). */
const PORTS: Record<ServiceName, number> = { 'care-api': 14300, 'ingest-gateway': 14301, 'rules-engine': 14302, 'vitals-store': 14303 };
const OUT = '.data/bench';

async function main(): Promise<void> {
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${settings.database}`;
  await ensureDatabase(settings.database);
  execFileSync('node', ['scripts/run-ts.js', 'scripts/migrate.ts', '--database-url', databaseUrl], { stdio: 'ignore' });
  mkdirSync(`${OUT}/logs`, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const runTag = `b${Date.now().toString(36)}`;
  const db = new Pool({ connectionString: databaseUrl, max: 2 });
  const harness = new PipelineHarness({ DATABASE_URL: databaseUrl, INGEST_MQTT_CONNECTIONS: String(settings.connections) }, { ports: PORTS, logDir: `${OUT}/logs` });
  const generators: GeneratorProcess[] = [];
  let harnessRunning = true;
  try {
    console.log(`bench: ${settings.devices} devices × ${settings.rate} msg/s × ${settings.durationS} s (${(settings.devices * settings.rate).toLocaleString('en-US')} messages/s offered, 3 vitals each), database ${settings.database}`);
    await harness.start({ readyTimeoutMs: 300_000 });
    const fleet = await ensureFleet(harness.admin, {
      size: settings.devices,
      database: settings.database,
      cacheFile: `${OUT}/fleet-${settings.database}.json`,
      onProgress: (done, total) => progress(`registering the fleet: ${done}/${total}`),
    });
    const patientIds = fleet.devices.map((d) => d.patientId);
    const reset = await resolveOpenBenchAlerts(db, patientIds);
    if (reset) console.log(`\nresolved ${reset} alerts left open by earlier runs (one live alert per patient and rule)`);

    const plan = { outOfRangeShare: settings.outOfRangeShare };
    const generator = new GeneratorProcess({ devices: fleet.devices, rate: settings.rate, durationS: settings.durationS, runTag, plan, resultFile: `${OUT}/generator-${stamp}.json`, mode: 'schedule' });
    generators.push(generator);
    const connected = await generator.connect();
    console.log(`\n${connected.devices} devices connected over TLS in ${connected.seconds.toFixed(1)} s${connected.failed ? ` (${connected.failed} failed: a reset broker? delete ${OUT}/fleet-${settings.database}.json)` : ''}`);
    const watch = new AlertWatch(PORTS['care-api'], signDevToken({ sub: 'bench-admin', role: 'admin' }, harness.local.JWT_SECRET), new Set(patientIds));
    await watch.open();

    if (settings.pinned) {
      const pipeline = [...Object.values(harness.services).map((p) => p.pid), pidOf(STACK_PROCESS.kafka), listenerPid(5432)];
      const load = [generator.pid, pidOf(STACK_PROCESS.mosquitto), process.pid];
      console.log(`pinned: ${pinToCpus(pipeline, '0')} pipeline processes on CPU 0; ${pinToCpus(load, '1', { descendants: false })} of the generator, Mosquitto and this driver on CPU 1`);
    }
    const pids = processPids(harness);
    const samples: Sample[] = [];
    const sampler = startSampling(harness, samples);
    const startAt = Date.now() + 2000;
    const before = usageOf(pids);
    const ticker = setInterval(() => progress(progressLine(samples, generator, startAt)), 1000);
    const result = await generator.run<GeneratorResult>(startAt);
    const loadEnd = startAt + settings.durationS * 1000;
    // PostgreSQL listed again: the services' pools open backends under load, and a backend started
    // since counts whole (it was missing from the figure, which read 0.01-0.40 cores run to run).
    const after = usageOf({ ...pids, postgresql: pidsOf(/^postgres/) });
    const loadSeconds = (Date.now() - startAt) / 1000;
    const { drained, at: drainedAt } = await drain(samples, startAt, result.acked);
    if (!drained) console.log('\nWARNING: no progress for a minute before everything acknowledged was stored and evaluated; figures below are of an undrained run');
    await new Promise((r) => setTimeout(r, 3000)); // the last alerts' stream events
    clearInterval(ticker);
    sampler.stop();
    watch.close();
    console.log('');

    const stored = await accountStored(db, runTag, result, settings);
    const alerts = await accountAlerts(db, watch.raisedAt, result, { ...plan, durationS: settings.durationS }, patientIds);
    const peak = usageOf(pids);
    harnessRunning = false;
    await harness.stop();
    unpinShared();

    const ceilings = settings.ceilings ? await measureCeilings(fleet.devices, runTag, stamp) : null;
    const figures: RunFigures = { settings, runTag, startAt, loadEnd, drained, drainedAt, loadSeconds, result, stored, alerts, samples, usage: { before, after, peak }, ceilings };
    const jsonPath = reportRun(figures, `${OUT}/pipeline-${stamp}`);
    console.log(jsonPath);
  } finally {
    generators.forEach((g) => g.kill());
    // Also after a failed start: services already up would otherwise outlive the bench.
    if (harnessRunning) await harness.stop().catch((error: unknown) => console.error(`stopping the services: ${String(error)}`));
    unpinShared();
    await db.end();
  }
}

/** The shared stack outlives the bench: Kafka, Mosquitto, PostgreSQL and this driver back on every CPU (ceilings too). */
function unpinShared(): void {
  if (!settings.pinned) return;
  try {
    // PostgreSQL with its backends; the driver without its children (the services, stopping).
    pinToCpus([pidOf(STACK_PROCESS.kafka), pidOf(STACK_PROCESS.mosquitto), listenerPid(5432)], allCpus());
    pinToCpus([process.pid], allCpus(), { descendants: false });
  } catch (error) {
    console.error(`could not give Kafka, Mosquitto and PostgreSQL every CPU back (taskset -a -p -c ${allCpus()} PID): ${String(error)}`);
  }
}

// Interrupted, the shared stack would stay pinned to one CPU for whoever uses it next.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    unpinShared();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

type Pids = Record<string, number[]>;

/** The generator reports its own figures (it has exited by the time the bench reads /proc). */
function processPids(harness: PipelineHarness): Pids {
  const one = (pid: number | undefined) => (pid ? [pid] : []);
  return {
    'ingest-gateway': one(harness.services['ingest-gateway'].pid),
    'vitals-store': one(harness.services['vitals-store'].pid),
    'rules-engine': one(harness.services['rules-engine'].pid),
    'care-api': one(harness.services['care-api'].pid),
    kafka: one(pidOf(STACK_PROCESS.kafka)),
    mosquitto: one(pidOf(STACK_PROCESS.mosquitto)),
    postgresql: pidsOf(/^postgres/),
  };
}

function usageOf(pids: Pids): Record<string, ProcessUsage[]> {
  return Object.fromEntries(Object.entries(pids).map(([name, list]) => [name, list.map(processUsage).filter((u): u is ProcessUsage => u !== undefined)]));
}

function startSampling(harness: PipelineHarness, samples: Sample[]): { stop: () => void } {
  const url = (name: ServiceName) => `http://127.0.0.1:${PORTS[name]}`;
  // Clamped: the end offsets and the commits are read apart, so a just-committed group can look a few records ahead.
  const lag = (name: ServiceName) =>
    consumerGroupLag(harness.kafka, harness.groupId(name), Topics.observations.name).then(
      (records) => Math.max(0, records),
      () => Number.NaN,
    );
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    const t = Date.now();
    void Promise.all([
      readMetric(url('ingest-gateway'), 'rpm_ingest_messages_total'),
      readMetric(url('vitals-store'), 'rpm_vitals_rows_stored_total'),
      readMetric(url('rules-engine'), 'rpm_rules_evaluations_total'),
      lag('vitals-store'),
      lag('rules-engine'),
    ])
      .then(([messages, rows, evaluations, storeLag, rulesLag]) => samples.push({ t, messages, rows, evaluations, storeLag, rulesLag }))
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, 1000);
  return { stop: () => clearInterval(timer) };
}

/**
 * Until every acknowledged message is stored (3 rows) and evaluated (2 readings) and both groups are at
 * the end of the topic. The backlog may still sit in Mosquitto's gateway sessions when the load ends:
 * stopping then would discard it with the sessions. Also done when the gateway has taken every
 * acknowledged message, the groups are at the end and nothing moved for 15 s (a reading dropped on
 * purpose, e.g. as a resend); not drained after a minute without progress. Resolves with the time of
 * the last progress.
 */
async function drain(samples: Sample[], startAt: number, acknowledged: number): Promise<{ drained: boolean; at: number }> {
  const base = [...samples].reverse().find((s) => s.t <= startAt) ?? samples[0];
  if (!base) return { drained: false, at: Date.now() };
  let progressAt = Date.now();
  let last: Sample | undefined;
  return pollUntil(
    async () => {
      const latest = samples[samples.length - 1];
      if (!latest || latest === last) return undefined;
      if (!last || latest.rows !== last.rows || latest.evaluations !== last.evaluations) progressAt = latest.t;
      last = latest;
      const atEnd = latest.storeLag <= 0 && latest.rulesLag <= 0;
      const complete = latest.rows - base.rows >= acknowledged * VITALS_PER_MESSAGE && latest.evaluations - base.evaluations >= acknowledged * READINGS_PER_MESSAGE;
      const settled = latest.messages - base.messages >= acknowledged && Date.now() - progressAt > 15_000;
      if (atEnd && (complete || settled)) return { drained: true, at: progressAt };
      return Date.now() - progressAt > 60_000 ? { drained: false, at: progressAt } : undefined;
    },
    { timeoutMs: 3_600_000, intervalMs: 1000, what: 'the pipeline to drain' },
  );
}

function progressLine(samples: readonly Sample[], generator: GeneratorProcess, startAt: number): string {
  const [a, b] = samples.slice(-2);
  const per = (key: 'messages' | 'rows' | 'evaluations') => (a && b ? Math.round(((b[key] - a[key]) * 1000) / Math.max(1, b.t - a.t)) : 0);
  const g = generator.lastProgress;
  const t = Math.max(0, Math.round((Date.now() - startAt) / 1000));
  return `t=${t}s  sent ${g?.sent ?? 0} acked ${g?.acked ?? 0} (behind ≤ ${g?.behindMs ?? 0} ms)  gateway ${per('messages')} msg/s  stored ${per('rows')} rows/s  evaluated ${per('evaluations')}/s  lag store ${b?.storeLag ?? '-'} rules ${b?.rulesLag ?? '-'}`;
}

async function measureCeilings(devices: Parameters<typeof mosquittoCeiling>[0], runTag: string, stamp: string) {
  console.log('\nceilings (the pipeline stopped):');
  const mosquitto = await mosquittoCeiling(devices, { durationS: 15, runTag: `${runTag}c`, resultFile: `${OUT}/ceiling-${stamp}.json`, onProgress: progress });
  console.log('');
  const kafka = await kafkaProducerCeiling();
  const postgres = await postgresCopyCeiling();
  return ceilingsOf(mosquitto, kafka, postgres);
}

async function ensureDatabase(name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`--database ${name}: letters, digits and _ only`);
  const server = new Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres', max: 1 });
  try {
    const exists = await server.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await server.query(`CREATE DATABASE ${name}`);
  } finally {
    await server.end();
  }
}

function progress(line: string): void {
  process.stdout.write(`\r${line.slice(0, 200).padEnd(160)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
