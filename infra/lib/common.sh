# shellcheck shell=bash
# Shared helpers for the infra scripts. Source it; do not run it.
# All paths are derived from the repo root so the scripts work from any cwd
# and in any clone (CI clones the repo into another folder).

set -euo pipefail

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT_DIR="$(cd "$INFRA_DIR/.." && pwd)"
# RPM_DATA_DIR: a second, private stack (data, logs, pid files) next to the default one, e.g.
# RPM_DATA_DIR=.data/faults with other RPM_*_PORT values (test/faults uses it). Relative paths are
# taken from the repo root. Secrets and TLS material (.rpm/) stay shared.
case "${RPM_DATA_DIR:-}" in
  '') DATA_DIR="$ROOT_DIR/.data" ;;
  /*) DATA_DIR="${RPM_DATA_DIR%/}" ;;
  *) DATA_DIR="$ROOT_DIR/${RPM_DATA_DIR%/}" ;;
esac
CACHE_DIR="$ROOT_DIR/.cache"
LOG_DIR="$DATA_DIR/logs"
RUN_DIR="$DATA_DIR/run"
RPM_DIR="$ROOT_DIR/.rpm"
ENV_FILE="$RPM_DIR/local.env"
# Local TLS material written by infra/tls.sh (keys mode 600; never committed: .rpm/ is ignored).
CA_KEY="$RPM_DIR/ca.key"
CA_CERT="$RPM_DIR/ca.crt"
MQTT_SERVER_KEY="$RPM_DIR/mqtt-server.key"
MQTT_SERVER_CERT="$RPM_DIR/mqtt-server.crt"

# Ports (127.0.0.1 only). Override with env vars if you really must.
KAFKA_PORT="${RPM_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${RPM_KAFKA_CONTROLLER_PORT:-9093}"
MQTT_PORT="${RPM_MQTT_PORT:-1884}"          # plain MQTT, for local tools; RPM_MQTT_PLAIN=off drops it
MQTT_TLS_PORT="${RPM_MQTT_TLS_PORT:-8884}"  # MQTT over TLS, username + password (what devices and services use)
MQTT_CERT_PORT="${RPM_MQTT_CERT_PORT:-8885}" # MQTT over TLS with a client certificate (CN = device id)
MQTT_PLAIN="${RPM_MQTT_PLAIN:-on}"
PG_HOST="${RPM_PG_HOST:-127.0.0.1}"
PG_PORT="${RPM_PG_PORT:-5432}"
PG_USER="${RPM_PG_USER:-postgres}"

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  _C_RED=$'\e[31m'; _C_GRN=$'\e[32m'; _C_YEL=$'\e[33m'; _C_DIM=$'\e[2m'; _C_OFF=$'\e[0m'
else
  _C_RED=''; _C_GRN=''; _C_YEL=''; _C_DIM=''; _C_OFF=''
fi

# COMPONENT is set by each script (kafka, mosquitto, postgres, infra).
: "${COMPONENT:=infra}"

log()  { printf '%s[%s]%s %s\n' "$_C_DIM" "$COMPONENT" "$_C_OFF" "$*"; }
ok()   { printf '%s[%s]%s %s%s%s\n' "$_C_DIM" "$COMPONENT" "$_C_OFF" "$_C_GRN" "$*" "$_C_OFF"; }
warn() { printf '%s[%s] WARNING:%s %s\n' "$_C_YEL" "$COMPONENT" "$_C_OFF" "$*" >&2; }
die()  { printf '%s[%s] ERROR:%s %s\n' "$_C_RED" "$COMPONENT" "$_C_OFF" "$*" >&2; exit 1; }

need_cmd() { # need_cmd CMD "hint"
  command -v "$1" >/dev/null 2>&1 || die "$1 not found${2:+ ($2)}"
}

ensure_dirs() { mkdir -p "$LOG_DIR" "$RUN_DIR" "$@"; }

# pid_alive PID -> 0 if the process exists (and is not a zombie)
pid_alive() {
  local pid="$1"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  local state
  state="$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)"
  [ "$state" != "Z" ]
}

pid_cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }
# short_cmd PID -> command line shortened for messages
short_cmd() { local c; c="$(pid_cmdline "$1")"; [ "${#c}" -le 160 ] && printf '%s' "$c" || printf '%s...' "${c:0:160}"; }

# read_pidfile FILE -> prints the pid if the file exists and the process is alive
read_pidfile() {
  local f="$1" pid
  [ -f "$f" ] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  pid_alive "$pid" || return 1
  printf '%s\n' "$pid"
}

# port_listener PORT -> prints "PID CMDLINE" (or "? unknown") of the process
# listening on TCP PORT; returns 1 when nothing listens.
port_listener() {
  local port="$1" line pid
  line="$(ss -Hltnp "( sport = :$port )" 2>/dev/null | head -n1 || true)"
  [ -n "$line" ] || return 1
  pid="$(sed -n 's/.*pid=\([0-9][0-9]*\).*/\1/p' <<<"$line" | head -n1)"
  if [ -n "$pid" ]; then
    printf '%s %s\n' "$pid" "$(short_cmd "$pid")"
  else
    printf '? unknown (run as root to see the owner)\n'
  fi
}

port_is_listening() { port_listener "$1" >/dev/null; }

# wait_port PORT TIMEOUT_S -> 0 once something listens on PORT
wait_port() {
  local port="$1" t="$2" i=0
  while ! port_is_listening "$port"; do
    i=$((i + 1)); [ "$i" -le "$((t * 2))" ] || return 1
    sleep 0.5
  done
}

# stop_pid PID NAME TIMEOUT_S -> SIGTERM, wait, then SIGKILL
stop_pid() {
  local pid="$1" name="$2" t="$3" i=0
  kill -TERM "$pid" 2>/dev/null || true
  while pid_alive "$pid"; do
    i=$((i + 1))
    if [ "$i" -gt "$((t * 2))" ]; then
      warn "$name (pid $pid) did not stop within ${t}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.5
  done
}

# sha256 of a set of files (order given)
files_sha256() { cat "$@" | sha256sum | awk '{print $1}'; }

# env_get KEY -> value of KEY in .rpm/local.env (last occurrence)
# stop_component PID_OR_EMPTY PIDFILE PORT TIMEOUT_S
# Stops what this checkout started (pid from its pid file); otherwise clears a stale pid
# file and says whether something else holds the port (never stopped: not ours).
stop_component() {
  local pid="$1" pidfile="$2" port="$3" timeout="$4" owner
  if [ -n "$pid" ]; then
    log "stopping broker (pid $pid) ..."
    stop_pid "$pid" "$COMPONENT" "$timeout"
    rm -f "$pidfile"
    ok "stopped"
    return 0
  fi
  [ -f "$pidfile" ] && { log "removing stale pid file"; rm -f "$pidfile"; }
  log "not running"
  if owner="$(port_listener "$port")"; then
    warn "port $port is still in use by pid ${owner%% *} (${owner#* }); not started by this checkout, left alone"
  fi
}

env_get() { sed -n "s/^$1=//p" "$ENV_FILE" 2>/dev/null | tail -n1; }
