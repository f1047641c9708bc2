#!/usr/bin/env bash
# Installs node modules when they are missing or older than the lockfile (fresh clone).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null; then echo "node not found: install Node.js 20 (https://nodejs.org)" >&2; exit 1; fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[deps] installing node modules (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
