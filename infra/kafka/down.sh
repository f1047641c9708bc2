#!/usr/bin/env bash
# Stops the broker started by infra/kafka/up.sh (SIGTERM = controlled shutdown).
COMPONENT=kafka
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1
source "$INFRA_DIR/kafka/env.sh"

if pid="$(kafka_running)"; then
  log "stopping broker (pid $pid) ..."
  stop_pid "$pid" kafka "${KAFKA_STOP_TIMEOUT:-60}"
  rm -f "$KAFKA_PID_FILE"
  ok "stopped"
else
  [ -f "$KAFKA_PID_FILE" ] && { log "removing stale pid file"; rm -f "$KAFKA_PID_FILE"; }
  log "not running"
  if owner="$(port_listener "$KAFKA_PORT")"; then
    warn "port $KAFKA_PORT is still in use by pid ${owner%% *} (${owner#* }); not started by this checkout, left alone"
  fi
fi
