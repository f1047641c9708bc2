#!/usr/bin/env bash
# Stops the project-owned Mosquitto (port 1884). SIGTERM makes it write its
# persistence DB, so queued messages and sessions survive. The system broker
# on 1883 is never touched.
COMPONENT=mosquitto
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1
source "$INFRA_DIR/mosquitto/env.sh"
if pid="$(mqtt_running)"; then
  log "stopping broker (pid $pid) ..."
  stop_pid "$pid" mosquitto 20
  rm -f "$MQTT_PID_FILE"
  ok "stopped"
else
  [ -f "$MQTT_PID_FILE" ] && { log "removing stale pid file"; rm -f "$MQTT_PID_FILE"; }
  log "not running"
  if owner="$(port_listener "$MQTT_PORT")"; then
    warn "port $MQTT_PORT is still in use by pid ${owner%% *} (${owner#* }); not started by this checkout, left alone"
  fi
fi
