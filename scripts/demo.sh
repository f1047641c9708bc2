#!/usr/bin/env bash
# npm run demo [-- --no-simulator] [-- --patients N --speed S --days D]
# Installs what is missing, starts Kafka, Mosquitto and the databases, migrates, runs the
# four services and the simulated device fleet. Ctrl-C stops all of it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
bash infra/up.sh
npm run -s db:migrate
bash scripts/build-web.sh  # the nurses' UI at http://127.0.0.1:3000/
exec node scripts/run-ts.js scripts/demo.ts "$@"
