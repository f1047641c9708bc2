#!/usr/bin/env bash
# Starts the local single-node Kafka (KRaft combined mode) on 127.0.0.1:9092
# (controller 127.0.0.1:9093), then creates the topics from topics.tsv.
# Idempotent: a running broker is left alone (topics are still checked).
COMPONENT=kafka
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1
source "$INFRA_DIR/kafka/env.sh"

READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-90}"

kafka_need_java
ensure_dirs "$KAFKA_DATA"
bash "$KAFKA_INFRA/fetch-libs.sh"

render_config() {
  local tmp="$KAFKA_CONF.tmp"
  sed -e "s#@KAFKA_DATA@#$KAFKA_DATA#g" \
      -e "s#@KAFKA_PORT@#$KAFKA_PORT#g" \
      -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" \
      "$KAFKA_INFRA/server.properties.template" >"$tmp"
  if ! cmp -s "$tmp" "$KAFKA_CONF"; then
    mv "$tmp" "$KAFKA_CONF"
    log "config written: ${KAFKA_CONF#"$ROOT_DIR"/}"
    return 0
  fi
  rm -f "$tmp"
}

if pid="$(kafka_running)"; then
  log "broker already running (pid $pid)"
  render_config
else
  rm -f "$KAFKA_PID_FILE"
  # Refuse to start when another process holds our ports.
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if owner="$(port_listener "$p")"; then
      die "port $p in use by another process (pid ${owner%% *}, cmd: ${owner#* }). Stop it, or if it is a broker started from another checkout run that checkout's infra/down.sh."
    fi
  done
  render_config

  # Format the storage once (KRaft needs a cluster id + meta.properties).
  if [ ! -f "$KAFKA_DATA/data/meta.properties" ]; then
    if [ ! -s "$KAFKA_DATA/cluster.id" ]; then
      kafka_tool kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1 | tr -d '[:space:]' >"$KAFKA_DATA/cluster.id"
      [ -s "$KAFKA_DATA/cluster.id" ] || die "kafka.tools.StorageTool random-uuid produced no id"
    fi
    cid="$(cat "$KAFKA_DATA/cluster.id")"
    log "formatting storage in ${KAFKA_DATA#"$ROOT_DIR"/}/data (cluster id $cid)"
    if ! kafka_tool kafka.tools.StorageTool format -t "$cid" -c "$KAFKA_CONF" --standalone \
          >"$LOG_DIR/kafka-format.log" 2>&1; then
      tail -n 20 "$LOG_DIR/kafka-format.log" >&2
      die "storage format failed (see ${LOG_DIR#"$ROOT_DIR"/}/kafka-format.log)"
    fi
  fi

  log "starting broker (java $KAFKA_HEAP_OPTS), log: ${KAFKA_LOG#"$ROOT_DIR"/}"
  printf '\n===== %s starting kafka =====\n' "$(date -Is)" >>"$KAFKA_LOG"
  # setsid + nohup: detach from this shell so the broker outlives it.
  # shellcheck disable=SC2086
  setsid nohup java $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KAFKA_INFRA/log4j2.xml" \
    -Drpm.infra.root="$ROOT_DIR" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONF" >>"$KAFKA_LOG" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$KAFKA_PID_FILE"

  log "waiting for 127.0.0.1:$KAFKA_PORT (timeout ${READY_TIMEOUT}s) ..."
  start=$SECONDS
  while ! port_is_listening "$KAFKA_PORT"; do
    if ! pid_alive "$pid"; then
      tail -n 25 "$KAFKA_LOG" >&2
      rm -f "$KAFKA_PID_FILE"
      die "broker exited during startup; see ${KAFKA_LOG#"$ROOT_DIR"/} (last lines above)"
    fi
    if [ $((SECONDS - start)) -ge "$READY_TIMEOUT" ]; then
      die "broker not listening on $KAFKA_PORT after ${READY_TIMEOUT}s; see ${KAFKA_LOG#"$ROOT_DIR"/} (still running as pid $pid; infra/kafka/down.sh stops it)"
    fi
    sleep 0.5
  done
  ok "listening on 127.0.0.1:$KAFKA_PORT after $((SECONDS - start))s (pid $pid)"
fi

# Readiness (metadata round-trip) + topics.
KAFKA_READY_TIMEOUT="$READY_TIMEOUT" bash "$KAFKA_INFRA/topics.sh"
