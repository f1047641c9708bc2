import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { deleteTopicsWithPrefix } from '@rpm/kafka';
import { newRunId, runStateTopic, TEST_DATABASE_URL, testKafka } from '@rpm/testing';
import { metricNamesOf } from '../../dashboards/test/promql';
import { DOCKER_DIR, envOf, instructionsOf, readDockerfile, ROOT } from './docker-files';
import { APP_SERVICES } from './service-configs';

/**
 * What the images run, run here without Docker: docker/build/compile.sh compiles every entry
 * point as the Dockerfiles do, and the compiled JavaScript (plain `node`, no ts-node) boots
 * against the local Kafka, PostgreSQL and Mosquitto with the image's environment. Then the
 * metrics these real processes expose are compared with what the pipeline-health dashboard
 * queries, and each image's HEALTHCHECK command is run as written.
 */
const runId = newRunId('img');
const OUT = join(ROOT, '.data', `docker-build-${runId}`);
const HTTP_SERVICES = Object.entries(APP_SERVICES).filter(([, app]) => app.portVariable !== null);

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode}`);
    if ((await fetch(url).catch(() => null))?.ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

describe('compiled services (the images, without Docker)', () => {
  const ports = new Map<string, number>();
  const children: ChildProcess[] = [];
  const kafka = testKafka(runId);

  beforeAll(async () => {
    execFileSync('bash', [join(DOCKER_DIR, 'build', 'compile.sh'), OUT, ...Object.values(APP_SERVICES).map((a) => a.entry)], { cwd: ROOT, stdio: 'pipe' });
    for (const [name] of HTTP_SERVICES) ports.set(name, await freePort());
    const wiring: Record<string, Record<string, string>> = {
      'vitals-store': { VITALS_STORE_GROUP_ID: `${runId}-vitals-store`, DATABASE_URL: TEST_DATABASE_URL },
      'rules-engine': { RULES_ENGINE_GROUP_ID: `${runId}-rules-engine`, RULES_ENGINE_STATE_TOPIC: runStateTopic(runId) },
      'ingest-gateway': { INGEST_SHARE_GROUP: runId, INGEST_INSTANCE_ID: runId, INGEST_MQTT_CONNECTIONS: '1', INGEST_SESSION_EXPIRY_SECONDS: '60' },
      'care-api': { CARE_API_GROUP_ID: `${runId}-care-api`, DATABASE_URL: TEST_DATABASE_URL, VITALS_STORE_URL: `http://127.0.0.1:${ports.get('vitals-store')}` },
    };
    mkdirSync(join(ROOT, '.data', 'logs'), { recursive: true });
    for (const [name, app] of HTTP_SERVICES) {
      const image = readDockerfile(join(DOCKER_DIR, name, 'Dockerfile'));
      const log = createWriteStream(join(ROOT, '.data', 'logs', `${runId}-${name}.log`));
      // The image's environment, except HTTP_HOST: this machine's tests listen on loopback only.
      const env = { ...process.env, ...envOf(image.final), HTTP_HOST: '127.0.0.1', KAFKA_NEW_GROUP_START: 'latest', [app.portVariable!]: String(ports.get(name)), ...wiring[name] };
      const [, ...argv] = JSON.parse(instructionsOf(image.final, 'CMD')[0]!) as string[];
      const entry = argv.pop()!;
      const child = spawn(process.execPath, [...argv, join(OUT, entry)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout?.pipe(log);
      child.stderr?.pipe(log);
      children.push(child);
    }
    await Promise.all(HTTP_SERVICES.map(([name], i) => waitReady(`http://127.0.0.1:${ports.get(name)}/readyz`, children[i]!, 90_000)));
  }, 240_000);

  afterAll(async () => {
    await Promise.all(
      children.map((child) => (child.exitCode !== null ? undefined : new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))))),
    );
    await deleteTopicsWithPrefix(kafka, runStateTopic(runId)).catch(() => undefined);
    rmSync(OUT, { recursive: true, force: true });
  }, 60_000);

  it('compiles every entry point to the JavaScript the Dockerfiles run', () => {
    for (const app of Object.values(APP_SERVICES)) expect({ entry: app.entry, compiled: existsSync(join(OUT, app.entry.replace(/\.ts$/, '.js'))) }).toEqual({ entry: app.entry, compiled: true });
  });

  it('runs the migrations from the compiled migrate job (already applied: up to date)', () => {
    const output = execFileSync(process.execPath, [join(OUT, 'scripts', 'migrate.js'), '--database-url', TEST_DATABASE_URL], { cwd: ROOT, encoding: 'utf8' });
    expect(output).toMatch(/vitals-store: .*\ncare-api: /);
  });

  it.each(HTTP_SERVICES.map(([name]) => name))("passes %s's HEALTHCHECK command as written in its Dockerfile", (name) => {
    const app = APP_SERVICES[name]!;
    const healthcheck = instructionsOf(readDockerfile(join(DOCKER_DIR, name, 'Dockerfile')).final, 'HEALTHCHECK')[0]!;
    const [, ...argv] = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD') + 3)) as string[];
    expect(() => execFileSync(process.execPath, argv, { env: { ...process.env, [app.portVariable!]: String(ports.get(name)) }, timeout: 5_000 })).not.toThrow();
  });

  it('exports every metric the pipeline-health dashboard queries (scraped from the running processes)', async () => {
    const exported = new Set(['up']);
    for (const [name] of HTTP_SERVICES) {
      const text = await (await fetch(`http://127.0.0.1:${ports.get(name)}/metrics`)).text();
      for (const [, metric, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
        exported.add(metric!);
        if (type === 'histogram') ['_bucket', '_sum', '_count'].forEach((s) => exported.add(metric! + s));
      }
    }
    const dashboard = JSON.parse(readFileSync(join(ROOT, 'dashboards', 'generated', 'pipeline-health.json'), 'utf8')) as { panels: { targets?: { expr?: string }[] }[] };
    const queried = new Set(dashboard.panels.flatMap((p) => p.targets ?? []).flatMap((t) => (t.expr ? metricNamesOf(t.expr) : [])));
    expect(queried.size).toBeGreaterThan(20);
    expect([...queried].filter((m) => !exported.has(m))).toEqual([]);
  });
});
