#!/bin/sh
# One-shot: creates the dynamic-security store with the admin client on first start.
set -eu
f=/mosquitto/data/dynamic-security.json
if [ ! -f "$f" ]; then
  mosquitto_ctrl dynsec init "$f" "$MQTT_ADMIN_USERNAME" "$MQTT_ADMIN_PASSWORD" >/dev/null
  echo "dynamic security initialised (admin $MQTT_ADMIN_USERNAME)"
fi
chown -R 1883:1883 /mosquitto/data
