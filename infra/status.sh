#!/usr/bin/env bash
# Shows the state of each component; exit 0 when all run, 3 otherwise.
#   bash infra/status.sh        # state of each component
#   bash infra/status.sh -v     # + topics and MQTT clients/roles
COMPONENT=infra
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
verbose=""; summary=0
case "${1:-}" in -v) verbose=-v ;; --summary) summary=1 ;; esac
rc=0
bash "$INFRA_DIR/postgres/status.sh" || rc=3
bash "$INFRA_DIR/mosquitto/status.sh" $verbose || rc=3
bash "$INFRA_DIR/kafka/status.sh" $verbose || rc=3
if [ "$summary" = 1 ] || [ -n "$verbose" ]; then
  cat <<SUMMARY

  Local stack
  ---------------------------------------------------------------------------
  Kafka       127.0.0.1:$KAFKA_PORT  (KRaft controller 127.0.0.1:$KAFKA_CONTROLLER_PORT)  topics: infra/kafka/topics.tsv
  MQTT        mqtts://127.0.0.1:$MQTT_TLS_PORT  (project Mosquitto, dynsec, CA ${CA_CERT#"$ROOT_DIR"/}; the system one on 1883 is not used)
              client certificates mqtts://127.0.0.1:$MQTT_CERT_PORT; plain $([ "$MQTT_PLAIN" = on ] && echo "mqtt://127.0.0.1:$MQTT_PORT (local tools)" || echo "off (RPM_MQTT_PLAIN=off)")
  PostgreSQL  postgres://$PG_USER@$PG_HOST:$PG_PORT/rpm  (tests: /rpm_test)
  Secrets     ${ENV_FILE#"$ROOT_DIR"/}  (keys: $(sed -n 's/^\([A-Z_][A-Z0-9_]*\)=.*/\1/p' "$ENV_FILE" 2>/dev/null | tr '\n' ' '))
  Logs        ${LOG_DIR#"$ROOT_DIR"/}/{kafka,mosquitto}.log     Stop: bash infra/down.sh
SUMMARY
fi
exit "$rc"
