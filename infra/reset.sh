#!/usr/bin/env bash
# Stops the stack and deletes its local state: Kafka data (topics, offsets,
# cluster id) and Mosquitto data (dynsec clients/roles, sessions, queued
# messages). The next infra/up.sh starts from scratch.
#   bash infra/reset.sh              # .data/kafka + .data/mosquitto (+ logs)
#   bash infra/reset.sh --secrets    # also .rpm/local.env (new passwords/JWT secret), the local CA and certificates
#   bash infra/reset.sh --db         # also DROP + recreate databases rpm and rpm_test
#   bash infra/reset.sh --cache      # also the downloaded Kafka jars (.cache/kafka)
COMPONENT=infra
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
secrets=0; db=0; cache=0
for a in "$@"; do
  case "$a" in
    --secrets) secrets=1 ;; --db) db=1 ;; --cache) cache=1 ;;
    --all) secrets=1; db=1; cache=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) die "unknown option $a (see: bash infra/reset.sh --help)" ;;
  esac
done
bash "$INFRA_DIR/down.sh"
log "deleting ${DATA_DIR#"$ROOT_DIR"/}/{kafka,mosquitto,logs,run}"
rm -rf "$DATA_DIR/kafka" "$DATA_DIR/mosquitto" "$DATA_DIR/logs" "$DATA_DIR/run"
if [ "$secrets" = 1 ]; then
  log "deleting ${ENV_FILE#"$ROOT_DIR"/}, the local CA, the MQTT server certificate and .rpm/devices/"
  rm -f "$ENV_FILE" "$CA_KEY" "$CA_CERT" "$MQTT_SERVER_KEY" "$MQTT_SERVER_CERT"
  rm -rf "$RPM_DIR/devices"
fi
if [ "$cache" = 1 ]; then log "deleting .cache/kafka"; rm -rf "$CACHE_DIR/kafka"; fi
if [ "$db" = 1 ]; then
  for d in rpm rpm_test; do
    log "dropping and recreating database $d"
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qX -v ON_ERROR_STOP=1 \
      -c "drop database if exists \"$d\" with (force)" || die "could not drop database $d"
  done
  bash "$INFRA_DIR/postgres/up.sh"
fi
ok "reset done; run: bash infra/up.sh"
