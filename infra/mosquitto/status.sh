#!/usr/bin/env bash
# Prints whether the project-owned Mosquitto runs; exit 0 when running, 3 when not.
COMPONENT=mosquitto
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1
source "$INFRA_DIR/mosquitto/env.sh"
if pid="$(mqtt_running)"; then
  if port_is_listening "$MQTT_PORT"; then
    ok "running: pid $pid, mqtt://$MQTT_HOST:$MQTT_PORT (dynsec, no anonymous), log ${MQTT_LOG#"$ROOT_DIR"/}"
  else
    warn "process $pid alive but not listening on $MQTT_PORT; see ${MQTT_LOG#"$ROOT_DIR"/}"
  fi
  if [ "${1:-}" = "-v" ] && [ -f "$ENV_FILE" ]; then
    dynsec listClients || true
    dynsec listRoles || true
  fi
  exit 0
fi
log "not running"
if owner="$(port_listener "$MQTT_PORT")"; then
  warn "port $MQTT_PORT in use by another process (pid ${owner%% *}, cmd: ${owner#* })"
fi
exit 3
