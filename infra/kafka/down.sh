#!/usr/bin/env bash
# Stops the broker started by infra/kafka/up.sh (SIGTERM = controlled shutdown).
COMPONENT=kafka
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1
source "$INFRA_DIR/kafka/env.sh"

stop_component "$(kafka_running || true)" "$KAFKA_PID_FILE" "$KAFKA_PORT" "${KAFKA_STOP_TIMEOUT:-60}"
