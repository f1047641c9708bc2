#!/usr/bin/env bash
# Builds the nurses' UI (services/care-web) into dist/care-web, which care-api serves at /.
# Skips the build when nothing under services/care-web (nor the lockfile) changed since the last
# one; --force builds anyway.
set -euo pipefail
cd "$(dirname "$0")/.."
out=dist/care-web/index.html
if [ "${1:-}" != "--force" ] && [ -f "$out" ] \
  && [ -z "$(find services/care-web package-lock.json -type f -newer "$out" -print -quit)" ]; then
  echo "[web] dist/care-web is up to date"
  exit 0
fi
echo "[web] building services/care-web into dist/care-web"
# Production React whatever the caller runs under (jest sets NODE_ENV=test).
NODE_ENV=production npx vite build services/care-web --logLevel warn
