#!/usr/bin/env bash
# Stops what infra/up.sh started (Kafka, the project Mosquitto). Data is kept.
# The system PostgreSQL (and the system Mosquitto on 1883) keep running.
#   bash infra/down.sh
COMPONENT=infra
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh" || exit 1
rc=0
bash "$INFRA_DIR/kafka/down.sh" || rc=1
bash "$INFRA_DIR/mosquitto/down.sh" || rc=1
bash "$INFRA_DIR/postgres/down.sh" || rc=1
[ "$rc" -eq 0 ] || die "some components failed to stop (see above)"
ok "stack down (data kept in ${DATA_DIR#"$ROOT_DIR"/}/; infra/reset.sh deletes it)"
