/**
 * npm run dashboards: writes dashboards/generated/*.json from the TypeScript definitions, and
 * docker/prometheus/alerts.yml from the alerting rules (dashboards/src/alert-rules.ts).
 * `-- --check` writes nothing and exits 1 when a committed file differs from what the
 * definitions generate (the unit test makes the same comparison).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ALERT_RULES_FILE, renderAlertRules } from './alert-rules';
import { DASHBOARDS, renderDashboard } from './dashboards';

const OUT_DIR = join(__dirname, '..', 'generated');
const ROOT = join(__dirname, '..', '..');

function main(): number {
  const check = process.argv.includes('--check');
  mkdirSync(OUT_DIR, { recursive: true });
  let stale = 0;
  const outputs = [
    ...DASHBOARDS.map(({ file, build }) => ({ path: join(OUT_DIR, file), text: renderDashboard(build()) })),
    { path: join(ROOT, ALERT_RULES_FILE), text: renderAlertRules() },
  ];
  for (const { path, text } of outputs) {
    const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (current === text) continue;
    const name = relative(ROOT, path);
    if (check) {
      stale++;
      console.error(`stale: ${name} (run npm run dashboards)`);
    } else {
      writeFileSync(path, text);
      console.log(`wrote ${name}`);
    }
  }
  return stale > 0 ? 1 : 0;
}

process.exitCode = main();
