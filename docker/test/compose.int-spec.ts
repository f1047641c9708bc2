import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_SERVICES, NODE_RUNTIME_VARIABLES } from './service-configs';
import { COMPOSE_FILE, composeConfig, DOCKER_DIR, envOf, instructionsOf, isPinnedImage, mountsOf, publishedPorts, readDockerfile, ROOT, yamlToJson, type ComposeModel } from './docker-files';

/**
 * docker/compose.yaml as Compose resolves it (`docker-compose config`, Debian's 1.29: no
 * engine needed; docker/ensure-compose.sh installs it), checked against what the services
 * really read and listen on, the Dockerfiles, Prometheus's targets and Grafana's provisioning.
 */
const DUMMY_SECRETS = {
  POSTGRES_PASSWORD: 'pgtest',
  GRAFANA_DB_PASSWORD: 'grafanadbtest',
  GRAFANA_ADMIN_PASSWORD: 'grafanatest',
  MQTT_ADMIN_PASSWORD: 'admintest',
  MQTT_INGEST_PASSWORD: 'ingesttest',
  JWT_SECRET: 'compose-test-secret-0123456789abcdef',
};

describe('docker/compose.yaml', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rpm-compose-'));
  const envFile = join(dir, 'test.env');
  let compose: ComposeModel;

  beforeAll(() => {
    writeFileSync(envFile, Object.entries(DUMMY_SECRETS).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
    compose = composeConfig(envFile);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const environmentOf = (service: string): Record<string, string> =>
    Object.fromEntries(Object.entries(compose.services[service]?.environment ?? {}).map(([k, v]) => [k, String(v ?? '')]));

  it('refuses to resolve without the secrets: none has a committed default', () => {
    const empty = join(dir, 'empty.env');
    writeFileSync(empty, '');
    expect(() => composeConfig(empty)).toThrow(/POSTGRES_PASSWORD|MQTT_ADMIN_PASSWORD|JWT_SECRET|GRAFANA/);
  });

  it('lists every variable it reads in env.example, with the secrets left empty', () => {
    const used = new Set([...readFileSync(COMPOSE_FILE, 'utf8').matchAll(/\$\{(\w+)/g)].map((m) => m[1]!));
    const example = readFileSync(join(DOCKER_DIR, 'env.example'), 'utf8');
    for (const name of used) expect({ name, listed: new RegExp(`^#? ?${name}=`, 'm').test(example) }).toEqual({ name, listed: true });
    for (const secret of Object.keys(DUMMY_SECRETS)) expect(example).toMatch(new RegExp(`^${secret}=$`, 'm'));
  });

  describe.each(Object.entries(APP_SERVICES))('%s', (name, app) => {
    const dockerfile = readDockerfile(join(DOCKER_DIR, name, 'Dockerfile'));

    it('is built from its own Dockerfile', () => {
      expect(compose.services[name]?.build).toEqual({ context: ROOT, dockerfile: `docker/${name}/Dockerfile` });
    });

    it('sets only variables its config schema reads, with values the schema accepts', () => {
      const env = { ...envOf(dockerfile.final), ...environmentOf(name) };
      const parsed = app.parse(env);
      const unread = Object.keys(env).filter((k) => !(k in parsed) && !NODE_RUNTIME_VARIABLES.includes(k));
      expect(unread).toEqual([]);
    });

    it('publishes the port the service listens on, on the same host port, and the image exposes it', () => {
      const ports = publishedPorts(compose.services[name]!);
      if (!app.portVariable) {
        expect(ports).toEqual([]);
        return;
      }
      const listening = Number(app.parse({ ...envOf(dockerfile.final), ...environmentOf(name) })[app.portVariable]);
      expect(ports).toEqual([{ host: listening, container: listening, address: '127.0.0.1' }]);
      expect(instructionsOf(dockerfile.final, 'EXPOSE')).toEqual([String(listening)]);
      expect(instructionsOf(dockerfile.final, 'HEALTHCHECK')[0]).toContain(`process.env.${app.portVariable}||${listening}`);
    });
  });

  it('uses pinned public images for everything it does not build, Kafka at the version infra/ runs', () => {
    const kafkaVersion = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(join(ROOT, 'infra', 'kafka', 'pom.xml'), 'utf8'))?.[1];
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build) continue;
      expect({ name, image: service.image, pinned: isPinnedImage(service.image ?? '') }).toEqual({ name, image: service.image, pinned: true });
    }
    expect(compose.services['kafka']?.image).toBe(`apache/kafka:${kafkaVersion}`);
  });

  it('addresses other containers only by compose service name and the port they listen on', () => {
    const listening = new Map<string, number[]>([
      ['kafka', [9092, 9093]], // clients, controller quorum
      ['postgres', [5432]],
      ['mosquitto', [1884]],
      ['prometheus', [9090]],
      ...Object.entries(APP_SERVICES)
        .filter(([, app]) => app.portVariable)
        .map(([name]) => [name, publishedPorts(compose.services[name]!).map((p) => p.container)] as [string, number[]]),
    ]);
    for (const [service, env] of Object.entries(compose.services).map(([n, s]) => [n, s.environment ?? {}] as const)) {
      for (const [key, value] of Object.entries(env)) {
        for (const m of String(value).matchAll(/(?:[a-z]+:\/\/(?:[^@/\s]+@)?)?([a-z][a-z0-9-]*):(\d{2,5})\b/g)) {
          if (m[1] === 'localhost') continue; // MQTT_PUBLIC_URL: how devices reach the published port
          expect({ service, key, host: m[1], port: Number(m[2]), ok: listening.get(m[1]!)?.includes(Number(m[2])) }).toEqual({ service, key, host: m[1], port: Number(m[2]), ok: true });
        }
      }
    }
    expect(readFileSync(join(DOCKER_DIR, 'mosquitto', 'mosquitto.conf'), 'utf8')).toMatch(/^listener 1884$/m);
  });

  it('has Prometheus scrape every service with an HTTP port, by compose name, job named after it', () => {
    const config = JSON.parse(yamlToJson(readFileSync(join(DOCKER_DIR, 'prometheus', 'prometheus.yml'), 'utf8'))) as {
      scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
    };
    const scraped = config.scrape_configs.map((c) => ({ job: c.job_name, targets: c.static_configs.flatMap((s) => s.targets), path: c.metrics_path ?? '/metrics' }));
    const expected = Object.entries(APP_SERVICES)
      .filter(([, app]) => app.portVariable)
      .map(([name]) => ({ job: name, targets: publishedPorts(compose.services[name]!).map((p) => `${name}:${p.container}`), path: '/metrics' }));
    expect(scraped.sort((a, b) => a.job.localeCompare(b.job))).toEqual(expected.sort((a, b) => a.job.localeCompare(b.job)));
    expect(mountsOf(compose.services['prometheus']!)).toContainEqual(expect.objectContaining({ source: join(DOCKER_DIR, 'prometheus', 'prometheus.yml'), target: '/etc/prometheus/prometheus.yml' }));
  });

  it('has Prometheus load the generated alerting rules from where compose mounts them', () => {
    const config = JSON.parse(yamlToJson(readFileSync(join(DOCKER_DIR, 'prometheus', 'prometheus.yml'), 'utf8'))) as { rule_files?: string[] };
    expect(config.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    expect(mountsOf(compose.services['prometheus']!)).toContainEqual(expect.objectContaining({ source: join(DOCKER_DIR, 'prometheus', 'alerts.yml'), target: '/etc/prometheus/alerts.yml' }));
    const rules = JSON.parse(yamlToJson(readFileSync(join(DOCKER_DIR, 'prometheus', 'alerts.yml'), 'utf8'))) as { groups: { rules: { alert: string }[] }[] };
    expect(rules.groups.flatMap((g) => g.rules).length).toBeGreaterThan(5);
  });

  it("provisions Grafana with the dashboards' data sources and the generated dashboards", () => {
    const provisioned = JSON.parse(yamlToJson(readFileSync(join(DOCKER_DIR, 'grafana', 'provisioning', 'datasources', 'rpm.yaml'), 'utf8'))) as {
      datasources: { uid: string; type: string; url: string }[];
    };
    // The defaults of each generated dashboard's data-source variables must be provisioned uids of that type.
    const generated = join(ROOT, 'dashboards', 'generated');
    const files = execFileSync('ls', [generated], { encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const dashboard = JSON.parse(readFileSync(join(generated, file), 'utf8')) as { templating: { list: { type: string; query: string; current: { value: string } }[] } };
      for (const variable of dashboard.templating.list.filter((v) => v.type === 'datasource')) {
        expect(provisioned.datasources).toContainEqual(expect.objectContaining({ uid: variable.current.value, type: variable.query }));
      }
    }
    expect(provisioned.datasources.map((d) => d.url.replace(/^https?:\/\//, ''))).toEqual(['prometheus:9090', 'postgres:5432']);
    const providers = JSON.parse(yamlToJson(readFileSync(join(DOCKER_DIR, 'grafana', 'provisioning', 'dashboards', 'rpm.yaml'), 'utf8'))) as { providers: { options: { path: string } }[] };
    expect(mountsOf(compose.services['grafana']!)).toContainEqual(expect.objectContaining({ source: generated, target: providers.providers[0]!.options.path }));
  });
});
