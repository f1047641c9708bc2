# shellcheck shell=bash
# Kafka paths and helpers shared by infra/kafka/*.sh. Source it after lib/common.sh.
KAFKA_INFRA="$INFRA_DIR/kafka"
KAFKA_POM="$KAFKA_INFRA/pom.xml"
KAFKA_LIBS="$CACHE_DIR/kafka/libs"
KAFKA_POM_SHA_FILE="$CACHE_DIR/kafka/pom.sha256"
KAFKA_DATA="$DATA_DIR/kafka"
KAFKA_CONF="$KAFKA_DATA/server.properties"
KAFKA_LOG="$LOG_DIR/kafka.log"
KAFKA_PID_FILE="$RUN_DIR/kafka.pid"
KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}"

# kafka_running -> prints the broker pid when the process in the pid file is alive
# and is really our broker (guards against a recycled pid).
kafka_running() {
  local pid
  pid="$(read_pidfile "$KAFKA_PID_FILE")" || return 1
  case "$(pid_cmdline "$pid")" in
    *kafka.Kafka*"$KAFKA_CONF"*) printf '%s\n' "$pid" ;;
    *) return 1 ;;
  esac
}

# kafka_tool MAIN_CLASS ARGS... -> runs a Kafka CLI main class with the cached jars
kafka_tool() {
  java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$KAFKA_INFRA/log4j2-tools.xml" \
    -cp "$KAFKA_LIBS/*" "$@"
}

kafka_need_java() {
  command -v java >/dev/null 2>&1 || die "java not found (install a JDK >= 17, e.g. apt-get install -y openjdk-17-jre-headless)"
  local v
  v="$(java -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n1)"
  [ -n "$v" ] && [ "$v" -ge 17 ] || die "java >= 17 required for Kafka 4.x (found: $(java -version 2>&1 | head -n1))"
}
