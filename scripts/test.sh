#!/usr/bin/env bash
# npm test: every test, against the real brokers. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/ensure-deps.sh
bash infra/up.sh
bash infra/browser.sh  # Debian's chromium for the worklist UI test
bash docker/ensure-compose.sh  # Debian's docker-compose: the compose tests run `docker-compose config` (no engine)
npm run -s db:migrate -- --database-url postgres://postgres@127.0.0.1:5432/rpm_test
mkdir -p .data/test-results

echo "[test] typecheck"
npx tsc -p tsconfig.json --noEmit
npx tsc -p services/care-web/tsconfig.json --noEmit  # the browser UI: DOM and JSX
npx tsc -p dashboards/tsconfig.json --noEmit  # the Grafana SDK resolves only through package exports (node16)
export NX_DAEMON=false NX_NO_CLOUD=true
npx nx show projects >/dev/null  # the module-boundary rule reads the Nx project graph
echo "[test] lint (module boundaries, no floating promises, exhaustive switches)"
npx eslint --max-warnings=0 .

echo "[test] build the worklist UI (care-api serves it)"
bash scripts/build-web.sh

status=0
echo "[test] unit"
npx jest --selectProjects unit --json --outputFile=.data/test-results/unit.json || status=1
echo "[test] integration and end to end (real Kafka, PostgreSQL, Mosquitto)"
npx jest --selectProjects integration e2e --runInBand --json --outputFile=.data/test-results/int-e2e.json || status=1

node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of ["unit", "int-e2e"]) {
    const p = ".data/test-results/" + f + ".json";
    if (!fs.existsSync(p)) { failed++; continue; }
    const r = JSON.parse(fs.readFileSync(p, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites; skipped += r.numPendingTests;
  }
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
'
echo "[test] took $(( $(date +%s) - start )) s"
exit $status
