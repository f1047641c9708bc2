import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARDS, renderDashboard } from '../src/dashboards';
import { POSTGRES, PROMETHEUS } from '../src/datasources';
import { expectedColumnsOf } from '../src/sql-query';
import { panelTargets } from './dashboard-targets';
import { exportedSeries, registeredMetrics } from './exported-metrics';
import { metricNamesOf } from './promql';

const ROOT = join(__dirname, '..', '..');
const GENERATED = join(__dirname, '..', 'generated');
const built = DASHBOARDS.map(({ file, build }) => ({ file, dashboard: build() }));
const targets = built.flatMap(({ dashboard }) => panelTargets(dashboard));

describe('generated dashboards', () => {
  it.each(built.map(({ file, dashboard }) => [file, dashboard] as const))('dashboards/generated/%s is what the TypeScript generates (run npm run dashboards)', (file, dashboard) => {
    expect(readFileSync(join(GENERATED, file), 'utf8')).toBe(renderDashboard(dashboard));
  });

  it('holds no file the generator does not write', () => {
    expect(readdirSync(GENERATED).sort()).toEqual(DASHBOARDS.map((d) => d.file).sort());
  });

  it('gives every dashboard its own uid and every panel a unique id, a title and a description', () => {
    expect(new Set(built.map(({ dashboard }) => dashboard.uid)).size).toBe(built.length);
    for (const { dashboard } of built) {
      const panels = dashboard.panels ?? [];
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      for (const panel of panels.filter((p) => p.type !== 'row')) {
        expect([panel.title, (panel as { description?: string }).description?.length]).toEqual([expect.any(String), expect.any(Number)]);
      }
    }
  });

  it('reads data only through the data-source variables (Prometheus or PostgreSQL)', () => {
    expect(targets.length).toBeGreaterThan(20);
    for (const { target } of targets) {
      expect([
        { type: PROMETHEUS.type, uid: `\${${PROMETHEUS.variable}}` },
        { type: POSTGRES.type, uid: `\${${POSTGRES.variable}}` },
      ]).toContainEqual(target['datasource']);
    }
  });

  it('declares the columns of every SQL query, with a time column for time series', () => {
    for (const { panel, target } of targets.filter((t) => t.datasourceType === POSTGRES.type)) {
      const columns = expectedColumnsOf(String(target['rawSql']));
      expect({ panel, declared: columns !== undefined }).toEqual({ panel, declared: true });
      if (target['format'] === 'time_series') expect({ panel, time: columns?.['time'] }).toEqual({ panel, time: 'time' });
    }
  });
});

describe('Prometheus queries', () => {
  let exported: Set<string>;
  beforeAll(async () => {
    exported = await exportedSeries(ROOT);
  });

  it('finds the registrations it checks against (scan of libs/ and services/)', () => {
    const registered = registeredMetrics(ROOT);
    expect(registered.get('rpm_ingest_kafka_write_seconds')).toBe('histogram');
    expect(registered.get('rpm_kafka_consumer_lag')).toBe('gauge');
    expect(registered.get('rpm_worklist_open_alerts')).toBe('gauge');
    expect(exported).toContain('rpm_vitals_write_seconds_bucket');
    expect(exported).toContain('process_cpu_seconds_total');
    expect(exported).toContain('nodejs_eventloop_lag_p99_seconds');
  });

  const promTargets = targets.filter((t) => t.datasourceType === PROMETHEUS.type);
  it.each(promTargets.map((t) => [`${t.dashboard} / ${t.panel} / ${String(t.target['refId'])}`, String(t.target['expr'])] as const))(
    '%s names only metrics the services export',
    (_name, expr) => {
      const names = metricNamesOf(expr);
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((n) => !exported.has(n))).toEqual([]);
    },
  );
});
