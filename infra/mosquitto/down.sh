#!/usr/bin/env bash
# Stops the project-owned Mosquitto (ports 1884, 8884, 8885). SIGTERM makes it write its
# persistence DB, so queued messages and sessions survive. The system broker
# on 1883 is never touched.
COMPONENT=mosquitto
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1
source "$INFRA_DIR/mosquitto/env.sh"

stop_component "$(mqtt_running || true)" "$MQTT_PID_FILE" "$MQTT_TLS_PORT" 20
