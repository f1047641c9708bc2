#!/usr/bin/env bash
# Verifies that kafkajs (the services' client, default 2.2.4) works against the
# running local broker. Installs kafkajs into a scratch dir OUTSIDE the repo
# (default /tmp/rpm-kafkajs-check) so nothing in the workspace changes.
#   bash infra/kafka/check-kafkajs.sh            # kafkajs@2.2.4
#   KAFKAJS_VERSION=2.2.4 SCRATCH=/tmp/x bash infra/kafka/check-kafkajs.sh
COMPONENT=kafka
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1
source "$INFRA_DIR/kafka/env.sh"
ver="${KAFKAJS_VERSION:-2.2.4}"
scratch="${SCRATCH:-/tmp/rpm-kafkajs-check}"
need_cmd node "install Node.js"
need_cmd npm "install npm"
kafka_running >/dev/null || die "broker not running; run infra/up.sh first"
mkdir -p "$scratch"
if [ "$(node -p "try{require('$scratch/node_modules/kafkajs/package.json').version}catch(e){''}")" != "$ver" ]; then
  log "installing kafkajs@$ver into $scratch"
  (cd "$scratch" && { [ -f package.json ] || npm init -y >/dev/null; } && npm i --no-audit --no-fund "kafkajs@$ver" >/dev/null)
fi
cp "$KAFKA_INFRA/kafkajs-compat.cjs" "$scratch/kafkajs-compat.cjs"
log "running kafkajs@$ver compatibility test against $KAFKA_BOOTSTRAP (transient ERROR lines from kafkajs while the group coordinator loads/rebalances are expected)"
cd "$scratch" && BROKER="$KAFKA_BOOTSTRAP" KAFKAJS_NO_PARTITIONER_WARNING=1 node kafkajs-compat.cjs
