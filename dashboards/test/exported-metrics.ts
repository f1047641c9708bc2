import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** Series Prometheus makes itself for every target it scrapes. */
const SCRAPE_SERIES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added'];

/** The series a metric of this type shows in Prometheus (a histogram is its buckets, sum and count). */
function seriesOf(name: string, type: string): string[] {
  if (type === 'histogram') return [`${name}_bucket`, `${name}_sum`, `${name}_count`];
  if (type === 'summary') return [name, `${name}_sum`, `${name}_count`];
  return [name];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/**
 * Metrics the services register, found by scanning libs/ and services/ for the service-kit
 * helpers (counter(), gauge(), histogram(), all of which register in the one process
 * registry) and for direct prom-client constructors. Scanning, not scraping: it sees every
 * metric whether or not a code path has touched it yet.
 */
export function registeredMetrics(root: string): Map<string, string> {
  const found = new Map<string, string>();
  const helper = /\b(counter|gauge|histogram)\(\s*'([A-Za-z_:][A-Za-z0-9_:]*)'/g;
  const direct = /new\s+(Counter|Gauge|Histogram|Summary)\(\s*\{\s*name:\s*'([A-Za-z_:][A-Za-z0-9_:]*)'/g;
  for (const file of [...sourceFiles(join(root, 'libs')), ...sourceFiles(join(root, 'services'))]) {
    const text = readFileSync(file, 'utf8');
    for (const m of [...text.matchAll(helper), ...text.matchAll(direct)]) found.set(m[2]!, m[1]!.toLowerCase());
  }
  return found;
}

/** What collectDefaultMetrics (libs/service-kit/src/metrics.ts) adds on this Node version, asked of prom-client itself. */
export async function defaultMetrics(): Promise<Map<string, string>> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = await registry.getMetricsAsJSON();
  registry.clear();
  return new Map(metrics.map((m) => [m.name, String(m.type)]));
}

/** Every series name a PromQL expression may read from the pipeline's Prometheus. */
export async function exportedSeries(root: string): Promise<Set<string>> {
  const series = new Set<string>(SCRAPE_SERIES);
  for (const [name, type] of [...registeredMetrics(root), ...(await defaultMetrics())]) seriesOf(name, type).forEach((s) => series.add(s));
  return series;
}
