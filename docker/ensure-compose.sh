#!/usr/bin/env bash
# Makes sure Debian's docker-compose (1.29, Python) is installed: the compose tests run
# `docker-compose config`, which validates and resolves docker/compose.yaml without any
# Docker engine. Installs it with apt-get when missing and running as root, as
# infra/mosquitto/up.sh does for Mosquitto. PyYAML comes with it (the tests read the
# resolved file through it). Idempotent; prints nothing when all is there.
set -euo pipefail
if command -v docker-compose >/dev/null 2>&1 && python3 -c 'import yaml' >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[docker] installing Debian's docker-compose (for docker-compose config in the tests)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose python3-yaml >/dev/null
else
  echo "docker-compose not found: sudo apt-get install -y docker-compose" >&2
  exit 1
fi
