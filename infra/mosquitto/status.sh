#!/usr/bin/env bash
# Prints whether the project-owned Mosquitto runs; exit 0 when running, 3 when not.
COMPONENT=mosquitto
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1
source "$INFRA_DIR/mosquitto/env.sh"
if pid="$(mqtt_running)"; then
  listening=(); silent=()
  for port in $(mqtt_ports); do
    if port_is_listening "$port"; then listening+=("$port"); else silent+=("$port"); fi
  done
  if [ "${#silent[@]}" -eq 0 ]; then
    plain="plain mqtt://$MQTT_HOST:$MQTT_PORT"; [ "$MQTT_PLAIN" = on ] || plain="plain off"
    ok "running: pid $pid, mqtts://$MQTT_HOST:$MQTT_TLS_PORT, client certificates mqtts://$MQTT_HOST:$MQTT_CERT_PORT, $plain (dynsec, no anonymous), log ${MQTT_LOG#"$ROOT_DIR"/}"
  else
    warn "process $pid alive but not listening on ${silent[*]}; see ${MQTT_LOG#"$ROOT_DIR"/}"
  fi
  if [ "${1:-}" = "-v" ] && [ -f "$ENV_FILE" ]; then
    dynsec listClients || true
    dynsec listRoles || true
  fi
  exit 0
fi
log "not running"
for port in $(mqtt_ports); do
  if owner="$(port_listener "$port")"; then
    warn "port $port in use by another process (pid ${owner%% *}, cmd: ${owner#* })"
  fi
done
exit 3
