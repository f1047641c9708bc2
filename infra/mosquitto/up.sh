#!/usr/bin/env bash
# Starts the project-owned Mosquitto (dynamic security, no anonymous access, persistence) on
# 127.0.0.1: MQTT over TLS on 8884, TLS with client certificates on 8885, plain MQTT on 1884
# unless RPM_MQTT_PLAIN=off; provisions the ingest client/role.
# Idempotent: a running broker with an unchanged config and certificates is left alone; a
# renewed server certificate is loaded with SIGHUP, a new CA or config with a restart.
COMPONENT=mosquitto
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1
source "$INFRA_DIR/mosquitto/env.sh"

# --- binaries ---------------------------------------------------------------
missing=()
for c in mosquitto mosquitto_ctrl mosquitto_pub mosquitto_sub; do
  command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] || missing+=("$c")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "missing ${missing[*]}: installing Debian packages mosquitto mosquitto-clients"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto mosquitto-clients >/dev/null
    # The package enables the system broker on 1883; this project does not need it
    # and leaves it as the package set it up.
  else
    die "${missing[*]} not found (install: sudo apt-get install -y mosquitto mosquitto-clients)"
  fi
fi
MOSQUITTO_BIN="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
plugin="$(dynsec_plugin_path)" || die "dynamic-security plugin (mosquitto_dynamic_security.so) not found; needs Mosquitto >= 2.0 from Debian's mosquitto package"

# --- secrets + config -------------------------------------------------------
bash "$INFRA_DIR/secrets.sh" >/dev/null
bash "$INFRA_DIR/tls.sh" >/dev/null
ADMIN_USER="$(env_get MQTT_ADMIN_USERNAME)"; ADMIN_PW="$(env_get MQTT_ADMIN_PASSWORD)"
INGEST_USER="$(env_get MQTT_INGEST_USERNAME)"; INGEST_PW="$(env_get MQTT_INGEST_PASSWORD)"
[ -n "$ADMIN_PW" ] && [ -n "$INGEST_PW" ] || die "MQTT passwords missing in $ENV_FILE"

ensure_dirs "$MQTT_DATA"
chmod 700 "$MQTT_DATA"
tmp="$MQTT_CONF.tmp"
if [ "$MQTT_PLAIN" = on ]; then
  plain_listener="listener $MQTT_PORT 127.0.0.1\nprotocol mqtt"
else
  plain_listener="# (no plain listener: RPM_MQTT_PLAIN=off)"
fi
sed -e "s#@RUN_USER@#$(id -un)#g" -e "s#@RUN_DIR@#$RUN_DIR#g" -e "s#@MQTT_PORT@#$MQTT_PORT#g" \
    -e "s|@PLAIN_LISTENER@|$plain_listener|" -e "s#@MQTT_TLS_PORT@#$MQTT_TLS_PORT#g" -e "s#@MQTT_CERT_PORT@#$MQTT_CERT_PORT#g" \
    -e "s#@CA_CERT@#$CA_CERT#g" -e "s#@SERVER_CERT@#$MQTT_SERVER_CERT#g" -e "s#@SERVER_KEY@#$MQTT_SERVER_KEY#g" \
    -e "s#@DYNSEC_PLUGIN@#$plugin#g" -e "s#@MQTT_DATA@#$MQTT_DATA#g" -e "s#@LOG_DIR@#$LOG_DIR#g" \
    "$MQTT_INFRA/mosquitto.conf.template" >"$tmp"
conf_changed=0
if ! cmp -s "$tmp" "$MQTT_CONF"; then mv "$tmp" "$MQTT_CONF"; conf_changed=1; log "config written: ${MQTT_CONF#"$ROOT_DIR"/}"; else rm -f "$tmp"; fi

if [ ! -f "$MQTT_DYNSEC_JSON" ]; then
  if pid="$(mqtt_running)"; then
    log "dynamic-security.json is missing while the broker runs: restarting it"
    stop_pid "$pid" mosquitto 20; rm -f "$MQTT_PID_FILE"
  fi
  log "initialising dynamic security (admin client $ADMIN_USER)"
  umask 077
  mosquitto_ctrl dynsec init "$MQTT_DYNSEC_JSON" "$ADMIN_USER" "$ADMIN_PW" >/dev/null \
    || die "mosquitto_ctrl dynsec init failed"
  umask 022
fi

# --- start ------------------------------------------------------------------
tls_now="$(tls_fingerprints)"
tls_loaded="$(cat "$MQTT_TLS_STAMP" 2>/dev/null || true)"
if pid="$(mqtt_running)"; then
  if [ "$conf_changed" = 1 ]; then
    log "config changed: restarting broker (pid $pid)"
    stop_pid "$pid" mosquitto 20; rm -f "$MQTT_PID_FILE"
  elif [ "${tls_now%% *}" != "${tls_loaded%% *}" ]; then
    log "CA changed: restarting broker (pid $pid); it reads the CA only at start"
    stop_pid "$pid" mosquitto 20; rm -f "$MQTT_PID_FILE"
  elif [ "$tls_now" != "$tls_loaded" ]; then
    # SIGHUP reloads the server certificate without dropping connections (checked on 2.0.11).
    kill -HUP "$pid"
    printf '%s\n' "$tls_now" >"$MQTT_TLS_STAMP"
    log "server certificate renewed: reloaded by the running broker (pid $pid, SIGHUP)"
  else
    log "broker already running (pid $pid)"
  fi
fi
if ! pid="$(mqtt_running)"; then
  rm -f "$MQTT_PID_FILE"
  for port in $(mqtt_ports); do
    if owner="$(port_listener "$port")"; then
      die "port $port in use by another process (pid ${owner%% *}, cmd: ${owner#* })"
    fi
  done
  log "starting broker on $MQTT_HOST ports $(mqtt_ports | paste -sd, -) (plain $MQTT_PLAIN), log: ${MQTT_LOG#"$ROOT_DIR"/}"
  printf '%s\n' "$tls_now" >"$MQTT_TLS_STAMP"
  # -d daemonises; mosquitto writes its pid to pid_file. Early errors (bad
  # config) go to stderr before the log file is opened, hence the capture.
  if ! "$MOSQUITTO_BIN" -c "$MQTT_CONF" -d 2>"$RUN_DIR/mosquitto.start.err"; then
    cat "$RUN_DIR/mosquitto.start.err" >&2
    die "mosquitto failed to start; see above and ${MQTT_LOG#"$ROOT_DIR"/}"
  fi
  start=$SECONDS
  all_listening() { local p; for p in $(mqtt_ports); do port_is_listening "$p" || return 1; done; }
  until all_listening && pid="$(mqtt_running)"; do
    if [ $((SECONDS - start)) -ge 15 ]; then
      cat "$RUN_DIR/mosquitto.start.err" >&2 || true
      tail -n 15 "$MQTT_LOG" >&2 || true
      die "mosquitto did not come up on ports $(mqtt_ports | paste -sd, -) within 15s; see ${MQTT_LOG#"$ROOT_DIR"/}"
    fi
    sleep 0.2
  done
  ok "listening on $MQTT_HOST: TLS $MQTT_TLS_PORT, client certificates $MQTT_CERT_PORT, plain $([ "$MQTT_PLAIN" = on ] && echo "$MQTT_PORT" || echo off) (pid $pid)"
fi

# --- provisioning (idempotent) ----------------------------------------------
if ! out="$(dynsec_do getDefaultACLAccess 2>&1)"; then
  printf '%s\n' "$out" >&2
  die "cannot log in as $ADMIN_USER on port $MQTT_TLS_PORT: the password in $ENV_FILE does not match ${MQTT_DYNSEC_JSON#"$ROOT_DIR"/} (e.g. .rpm/ was deleted). Fix: bash infra/reset.sh (drops broker state) and up again."
fi
# Deny publishing and subscribing unless a role allows it. (JSON API: the
# mosquitto_ctrl 2.0.11 setDefaultACLAccess subcommand silently sends nothing.)
if ! grep -Eq '^publishClientSend *: *deny' <<<"$out" || ! grep -Eq '^subscribe *: *deny' <<<"$out"; then
  resp="$(dynsec_json '{"commands":[{"command":"setDefaultACLAccess","acls":[{"acltype":"publishClientSend","allow":false},{"acltype":"subscribe","allow":false}]}]}')" \
    || die "setDefaultACLAccess: no response from the broker"
  grep -q '"error"' <<<"$resp" && die "setDefaultACLAccess failed: $resp"
  log "default ACL access: publishClientSend deny, subscribe deny"
fi

# Role for the ingest gateway: receive device readings (plain or shared
# subscription), nothing else. ACL spec: "acltype|topic". Any share group: test runs
# and blue/green deployments use their own group name.
INGEST_ROLE=rpm-ingest
INGEST_ACLS=(
  'subscribePattern|$share/ingest/rpm/devices/+/readings'
  'subscribePattern|$share/+/rpm/devices/+/readings'
  'subscribePattern|rpm/devices/+/readings'
  'publishClientReceive|rpm/devices/+/readings'
)
changed=0
if ! role="$(dynsec getRole "$INGEST_ROLE" 2>&1)" || ! grep -q "^Rolename: *$INGEST_ROLE" <<<"$role"; then
  dynsec_do createRole "$INGEST_ROLE" >/dev/null || die "createRole $INGEST_ROLE failed"
  role="$(dynsec getRole "$INGEST_ROLE")"; changed=1
fi
for spec in "${INGEST_ACLS[@]}"; do
  type="${spec%%|*}"; topic="${spec#*|}"
  if ! grep -Eq "^(ACLs:)? *$type *: allow : " <<<"$(grep -F ": $topic (priority" <<<"$role")"; then
    dynsec_do addRoleACL "$INGEST_ROLE" "$type" "$topic" allow >/dev/null || die "addRoleACL $INGEST_ROLE $type $topic failed"
    changed=1
  fi
done
if ! client="$(dynsec getClient "$INGEST_USER" 2>&1)" || ! grep -q "^Username: *$INGEST_USER" <<<"$client"; then
  dynsec_do createClient "$INGEST_USER" -p "$INGEST_PW" >/dev/null || die "createClient $INGEST_USER failed"
  client="$(dynsec getClient "$INGEST_USER")"; changed=1
fi
if ! grep -Eq "^(Roles:)? +$INGEST_ROLE \(priority" <<<"$client"; then
  dynsec_do addClientRole "$INGEST_USER" "$INGEST_ROLE" >/dev/null || die "addClientRole failed"
  changed=1
fi
# The password in .rpm/local.env is authoritative: verify it by logging in.
if ! mosquitto_pub "${MQTT_TLS_ARGS[@]}" -u "$INGEST_USER" -P "$INGEST_PW" -i rpm-infra-check \
      -t rpm/infra/check -n -q 0 >/dev/null 2>&1; then
  dynsec_do setClientPassword "$INGEST_USER" "$INGEST_PW" >/dev/null || die "setClientPassword $INGEST_USER failed"
  changed=1
fi
if [ "$changed" = 1 ]; then ok "provisioned client $INGEST_USER with role $INGEST_ROLE"; else log "client $INGEST_USER / role $INGEST_ROLE up to date"; fi
