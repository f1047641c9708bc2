#!/bin/sh
# One-shot: default ACL deny, and the ingest client/role, like infra/mosquitto/up.sh.
# Re-running is harmless: "already exists" answers are expected and ignored.
set -eu
rr() {
  mosquitto_rr -h "${MQTT_HOST:-mosquitto}" -p 1884 -V mqttv5 -q 1 -W 10 -u "$MQTT_ADMIN_USERNAME" -P "$MQTT_ADMIN_PASSWORD" \
    -t '$CONTROL/dynamic-security/v1' -e '$CONTROL/dynamic-security/v1/response' -m "$1"
}
i=0
until rr '{"commands":[{"command":"getDefaultACLAccess"}]}' >/dev/null 2>&1; do
  i=$((i + 1)); [ "$i" -le 60 ] || { echo "broker not answering on ${MQTT_HOST:-mosquitto}:1884" >&2; exit 1; }
  sleep 1
done
rr '{"commands":[{"command":"setDefaultACLAccess","acls":[{"acltype":"publishClientSend","allow":false},{"acltype":"subscribe","allow":false}]}]}'
rr '{"commands":[
  {"command":"createRole","rolename":"rpm-ingest","acls":[
    {"acltype":"subscribePattern","topic":"$share/ingest/rpm/devices/+/readings","allow":true},
    {"acltype":"subscribePattern","topic":"$share/+/rpm/devices/+/readings","allow":true},
    {"acltype":"subscribePattern","topic":"rpm/devices/+/readings","allow":true},
    {"acltype":"publishClientReceive","topic":"rpm/devices/+/readings","allow":true}]},
  {"command":"createClient","username":"'"$MQTT_INGEST_USERNAME"'","password":"'"$MQTT_INGEST_PASSWORD"'","roles":[{"rolename":"rpm-ingest"}]},
  {"command":"setClientPassword","username":"'"$MQTT_INGEST_USERNAME"'","password":"'"$MQTT_INGEST_PASSWORD"'"},
  {"command":"addClientRole","username":"'"$MQTT_INGEST_USERNAME"'","rolename":"rpm-ingest"}]}'
echo "provisioned $MQTT_INGEST_USERNAME"
