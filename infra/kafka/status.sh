#!/usr/bin/env bash
# Prints whether the local broker runs; exit 0 when running, 3 when not.
COMPONENT=kafka
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1
source "$INFRA_DIR/kafka/env.sh"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$KAFKA_POM")"
if pid="$(kafka_running)"; then
  if port_is_listening "$KAFKA_PORT"; then
    ok "running: Kafka $version, pid $pid, bootstrap $KAFKA_BOOTSTRAP, controller 127.0.0.1:$KAFKA_CONTROLLER_PORT, log ${KAFKA_LOG#"$ROOT_DIR"/}"
  else
    warn "process $pid alive but not listening on $KAFKA_PORT (starting or stuck?); see ${KAFKA_LOG#"$ROOT_DIR"/}"
  fi
  if [ "${1:-}" = "-v" ]; then
    kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP" --describe --exclude-internal 2>/dev/null | grep '^Topic:' || true
  fi
  exit 0
fi
log "not running"
if owner="$(port_listener "$KAFKA_PORT")"; then
  warn "port $KAFKA_PORT in use by another process (pid ${owner%% *}, cmd: ${owner#* })"
fi
exit 3
