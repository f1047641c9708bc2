# shellcheck shell=bash
# Mosquitto paths and helpers shared by infra/mosquitto/*.sh. Source after lib/common.sh.
MQTT_INFRA="$INFRA_DIR/mosquitto"
MQTT_DATA="$DATA_DIR/mosquitto"
MQTT_CONF="$MQTT_DATA/mosquitto.conf"
MQTT_DYNSEC_JSON="$MQTT_DATA/dynamic-security.json"
MQTT_LOG="$LOG_DIR/mosquitto.log"
MQTT_PID_FILE="$RUN_DIR/mosquitto.pid"
MQTT_HOST=127.0.0.1
# The admin commands of these scripts go over the TLS listener, so they work with the plain port off.
MQTT_TLS_ARGS=(-h "$MQTT_HOST" -p "$MQTT_TLS_PORT" --cafile "$CA_CERT")
MQTT_TLS_STAMP="$RUN_DIR/mosquitto.tls"
case "$MQTT_PLAIN" in on|off) ;; *) die "RPM_MQTT_PLAIN must be on or off (is: $MQTT_PLAIN)" ;; esac

# mqtt_ports -> the TCP ports the rendered config listens on
mqtt_ports() {
  if [ "$MQTT_PLAIN" = on ]; then printf '%s\n' "$MQTT_PORT"; fi
  printf '%s\n%s\n' "$MQTT_TLS_PORT" "$MQTT_CERT_PORT"
}

# tls_fingerprints -> "CA SERVER": sha256 of the CA certificate and of the server's certificate + key.
# The broker re-reads its own certificate on SIGHUP, but not the CA it checks clients against.
tls_fingerprints() {
  printf '%s %s\n' "$(files_sha256 "$CA_CERT")" "$(files_sha256 "$MQTT_SERVER_CERT" "$MQTT_SERVER_KEY")"
}

# mqtt_running -> prints the pid when the pid file points at a live mosquitto
# started with our config.
mqtt_running() {
  local pid
  pid="$(read_pidfile "$MQTT_PID_FILE")" || return 1
  case "$(pid_cmdline "$pid")" in
    *mosquitto*"$MQTT_CONF"*) printf '%s\n' "$pid" ;;
    *) return 1 ;;
  esac
}

dynsec_plugin_path() {
  local p multiarch
  multiarch="$(gcc -dumpmachine 2>/dev/null || dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || true)"
  for p in ${MOSQUITTO_DYNSEC_PLUGIN:-} \
           "/usr/lib/${multiarch:-x86_64-linux-gnu}/mosquitto_dynamic_security.so" \
           /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so \
           /usr/lib/aarch64-linux-gnu/mosquitto_dynamic_security.so \
           /usr/lib/mosquitto_dynamic_security.so /usr/local/lib/mosquitto_dynamic_security.so; do
    [ -n "$p" ] && [ -f "$p" ] && { printf '%s\n' "$p"; return 0; }
  done
  p="$(dpkg -L mosquitto 2>/dev/null | grep 'mosquitto_dynamic_security\.so$' | head -n1 || true)"
  [ -n "$p" ] && { printf '%s\n' "$p"; return 0; }
  return 1
}

# dynsec ARGS... -> mosquitto_ctrl dynsec as the admin client (rpm-admin)
# over TLS (stdout+stderr combined; exit status is mosquitto_ctrl's; note
# mosquitto_ctrl exits 0 on some dynsec errors, callers check the text too)
dynsec() {
  local out rc=0
  out="$(mosquitto_ctrl "${MQTT_TLS_ARGS[@]}" \
    -u "$(env_get MQTT_ADMIN_USERNAME)" -P "$(env_get MQTT_ADMIN_PASSWORD)" dynsec "$@" 2>&1)" || rc=$?
  printf '%s\n' "$out" | grep -v -e '^$' || true
  return "$rc"
}

# dynsec_do ARGS... -> like dynsec, but fails (with the message) on any "Error:" reply
dynsec_do() {
  local out
  out="$(dynsec "$@")" || { printf '%s\n' "$out" >&2; return 1; }
  if grep -qi 'error' <<<"$out"; then printf '%s\n' "$out" >&2; return 1; fi
  printf '%s\n' "$out"
}

# dynsec_json 'JSON' -> sends {"commands":[...]} to $CONTROL/dynamic-security/v1
# as the admin (exactly like the care-api does) and prints the JSON response.
# Used where mosquitto_ctrl 2.0.11 misbehaves (its setDefaultACLAccess sends nothing).
dynsec_json() {
  mosquitto_rr "${MQTT_TLS_ARGS[@]}" -V mqttv5 -q 1 -W 10 \
    -u "$(env_get MQTT_ADMIN_USERNAME)" -P "$(env_get MQTT_ADMIN_PASSWORD)" \
    -t '$CONTROL/dynamic-security/v1' -e '$CONTROL/dynamic-security/v1/response' -m "$1"
}
