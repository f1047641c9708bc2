#!/usr/bin/env bash
# Brings the local stack up: secrets (.rpm/local.env), the local CA and MQTT server
# certificate (.rpm/), PostgreSQL databases, the project Mosquitto (127.0.0.1, TLS on 8884)
# and Kafka (127.0.0.1:9092), then prints
# a summary. Idempotent: what already runs is left alone (a second run is a
# quick no-op that re-checks everything).
#   bash infra/up.sh
COMPONENT=infra
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
t0=$SECONDS
log "bringing up the local stack in $ROOT_DIR"
need_cmd ss "apt-get install -y iproute2"
ensure_dirs
bash "$INFRA_DIR/secrets.sh"
bash "$INFRA_DIR/tls.sh"
bash "$INFRA_DIR/postgres/up.sh"
bash "$INFRA_DIR/mosquitto/up.sh"
bash "$INFRA_DIR/kafka/up.sh"
ok "stack up in $((SECONDS - t0))s"
bash "$INFRA_DIR/status.sh" --summary
