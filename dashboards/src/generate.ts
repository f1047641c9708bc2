/**
 * npm run dashboards: writes dashboards/generated/*.json from the TypeScript definitions.
 * `-- --check` writes nothing and exits 1 when a committed file differs from what the
 * definitions generate (the unit test makes the same comparison).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARDS, renderDashboard } from './dashboards';

const OUT_DIR = join(__dirname, '..', 'generated');

function main(): number {
  const check = process.argv.includes('--check');
  mkdirSync(OUT_DIR, { recursive: true });
  let stale = 0;
  for (const { file, build } of DASHBOARDS) {
    const path = join(OUT_DIR, file);
    const text = renderDashboard(build());
    const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (current === text) continue;
    if (check) {
      stale++;
      console.error(`stale: dashboards/generated/${file} (run npm run dashboards)`);
    } else {
      writeFileSync(path, text);
      console.log(`wrote dashboards/generated/${file}`);
    }
  }
  return stale > 0 ? 1 : 0;
}

process.exitCode = main();
