#!/usr/bin/env bash
# End-to-end check of the project Mosquitto (needs it running: infra/up.sh).
# Does, with mosquitto_pub/mosquitto_sub/mosquitto_rr only, over the TLS listener:
#  1. anonymous and wrong-password connections are refused; so are a client that does not
#     trust the local CA and plain MQTT on the TLS port; the plain port is as RPM_MQTT_PLAIN says
#  2. creates a test device client (infra-verify-dev) + role device-<name> by publishing JSON to
#     $CONTROL/dynamic-security/v1 as rpm-admin (as the care-api does)
#  3. its QoS1/MQTT v5 publish to its own topic reaches an rpm-ingest shared
#     subscriber; publish to rpm/devices/other-dev/readings is refused (PUBACK 0x87)
#     and not delivered
#  4. persistent sessions (clean start off, session expiry 3600 s): messages
#     published while the subscriber is offline arrive on reconnect, for the
#     shared and the plain subscription; with --restart also across a broker restart
#  5. deletes the test device and the test sessions
# Usage: bash infra/mosquitto/verify.sh [--restart]
COMPONENT=mqtt-verify
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1
source "$INFRA_DIR/mosquitto/env.sh"

mqtt_running >/dev/null || die "project Mosquitto not running; run infra/up.sh first"
H=("${MQTT_TLS_ARGS[@]}")
IUSER="$(env_get MQTT_INGEST_USERNAME)"; IPW="$(env_get MQTT_INGEST_PASSWORD)"
# Own share group by default: with a running ingest gateway in group "ingest",
# Mosquitto would round-robin messages between it and the test subscribers (and
# queue real readings for the test's offline session). VERIFY_SHARE_GROUP=ingest
# checks the real group, when no gateway runs.
GROUP="${VERIFY_SHARE_GROUP:-infra-verify-$$}"
DEV="${VERIFY_DEVICE:-infra-verify-dev}"; DEVPW="$(openssl rand -hex 16)"; RUNID="verify-$$"
fails=0
log "test device $DEV, share group $GROUP"
pass() { ok "PASS $*"; }
fail() { printf '%s[%s] FAIL%s %s\n' "$_C_RED" "$COMPONENT" "$_C_OFF" "$*" >&2; fails=$((fails + 1)); }
check() { local what="$1"; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
tmp="$(mktemp -d)"
cleanup() {
  dynsec_json '{"commands":[{"command":"deleteClient","username":"'$DEV'"},{"command":"deleteRole","rolename":"device-'$DEV'"}]}' >/dev/null 2>&1 || true
  for id in "$RUNID-shared" "$RUNID-plain" "$RUNID-live"; do
    mosquitto_sub "${H[@]}" -V mqttv5 -u "$IUSER" -P "$IPW" -i "$id" -t 'rpm/devices/+/readings' -x 0 -W 1 >/dev/null 2>&1 || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

# 1. authentication
check "anonymous connection refused" bash -c "! mosquitto_pub ${H[*]} -V mqttv5 -t rpm/x -m x 2>/dev/null"
check "wrong password refused" bash -c "! mosquitto_pub ${H[*]} -V mqttv5 -u $IUSER -P wrong -t rpm/x -m x 2>/dev/null"
check "client without the local CA refused (TLS)" bash -c "! mosquitto_pub -h $MQTT_HOST -p $MQTT_TLS_PORT --tls-use-os-certs -V mqttv5 -u $IUSER -P $IPW -t rpm/x -m x 2>/dev/null"
check "plain MQTT on the TLS port refused" bash -c "! mosquitto_pub -h $MQTT_HOST -p $MQTT_TLS_PORT -V mqttv5 -u $IUSER -P $IPW -t rpm/x -m x 2>/dev/null"
if [ "$MQTT_PLAIN" = on ]; then
  check "plain port $MQTT_PORT open (RPM_MQTT_PLAIN=on)" port_is_listening "$MQTT_PORT"
else
  check "plain port $MQTT_PORT closed (RPM_MQTT_PLAIN=off)" bash -c "! ss -Hltn '( sport = :$MQTT_PORT )' | grep -q ."
fi

# 2. create the device through the dynsec JSON API
create='{"commands":[{"command":"createRole","rolename":"device-'$DEV'","acls":[{"acltype":"publishClientSend","topic":"rpm/devices/'$DEV'/readings","priority":0,"allow":true}]},{"command":"createClient","username":"'$DEV'","password":"'$DEVPW'","roles":[{"rolename":"device-'$DEV'"}]}]}'
resp="$(dynsec_json "$create" 2>&1 || true)"
log "createRole+createClient -> $resp"
check "dynsec createRole/createClient via \$CONTROL" grep -q '^{"responses":\[{"command":"createRole"},{"command":"createClient"}\]}$' <<<"$resp"

pub() { # pub TOPIC MSG -> mosquitto_pub -d output
  mosquitto_pub "${H[@]}" -V mqttv5 -q 1 -u "$DEV" -P "$DEVPW" -i "$DEV" -t "$1" -m "$2" -d 2>&1 || true
}
SUB=(-V mqttv5 -u "$IUSER" -P "$IPW" -q 1 -v)

# 3. ACLs + delivery to a live shared subscriber
mosquitto_sub "${H[@]}" "${SUB[@]}" -i "$RUNID-live" -t "\$share/$GROUP/rpm/devices/+/readings" -W 4 >"$tmp/live" 2>/dev/null &
sp=$!; sleep 0.7
own="$(pub "rpm/devices/$DEV/readings" '{"seq":1}')"
other="$(pub "rpm/devices/other-dev/readings" '{"seq":2}')"
wait "$sp" || true
check "own topic: PUBACK reason 0" grep -q 'received PUBACK (Mid: 1, RC:0)' <<<"$own"
check "other device's topic: PUBACK reason 135 (0x87 Not authorized)" grep -q 'received PUBACK (Mid: 1, RC:135)' <<<"$other"
check "shared subscriber received own-topic message" grep -qx "rpm/devices/$DEV/readings {\"seq\":1}" "$tmp/live"
check "shared subscriber did NOT receive other-dev message" bash -c "! grep -q other-dev '$tmp/live'"
sub_rc="$(mosquitto_sub "${H[@]}" -V mqttv5 -u "$DEV" -P "$DEVPW" -t 'rpm/#' -W 1 -d 2>&1 | grep -o 'Subscribed (mid: 1): [0-9]*' || true)"
check "device may not subscribe (SUBACK 135)" grep -q ': 135' <<<"$sub_rc"

# 4. persistent sessions
PERS=(-c -x 3600)
mosquitto_sub "${H[@]}" "${SUB[@]}" "${PERS[@]}" -i "$RUNID-shared" -t "\$share/$GROUP/rpm/devices/+/readings" -W 1 >/dev/null 2>&1 || true
mosquitto_sub "${H[@]}" "${SUB[@]}" "${PERS[@]}" -i "$RUNID-plain" -t 'rpm/devices/+/readings' -W 1 >/dev/null 2>&1 || true
for i in 10 11 12; do pub "rpm/devices/$DEV/readings" "{\"seq\":$i}" >/dev/null; done
if [ "${1:-}" = "--restart" ]; then
  log "restarting the broker with queued messages"
  bash "$MQTT_INFRA/down.sh" >/dev/null && bash "$MQTT_INFRA/up.sh" >/dev/null
fi
for kind in shared plain; do
  t='rpm/devices/+/readings'; [ "$kind" = shared ] && t="\$share/$GROUP/rpm/devices/+/readings"
  got="$(mosquitto_sub "${H[@]}" "${SUB[@]}" "${PERS[@]}" -i "$RUNID-$kind" -t "$t" -W 2 2>/dev/null | grep -c '"seq":1[012]' || true)"
  check "persistent $kind session got 3/3 messages queued while offline (got $got)" [ "$got" = 3 ]
done

# 5. cleanup via JSON (what the care-api does when a device is removed)
del='{"commands":[{"command":"deleteClient","username":"'$DEV'"},{"command":"deleteRole","rolename":"device-'$DEV'"}]}'
resp="$(dynsec_json "$del" 2>&1 || true)"
log "deleteClient+deleteRole -> $resp"
check "dynsec deleteClient/deleteRole" grep -q '^{"responses":\[{"command":"deleteClient"},{"command":"deleteRole"}\]}$' <<<"$resp"
check "deleted device can no longer connect" bash -c "! mosquitto_pub ${H[*]} -V mqttv5 -u $DEV -P $DEVPW -t rpm/devices/$DEV/readings -m x 2>/dev/null"

[ "$fails" -eq 0 ] || die "$fails check(s) failed"
ok "all Mosquitto checks passed"
