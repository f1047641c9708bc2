#!/usr/bin/env bash
# Waits until the broker answers a metadata request, then creates the topics of
# topics.tsv that are missing. Existing topics are not altered; differences in
# partition count or cleanup.policy are reported as warnings.
COMPONENT=kafka
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1
source "$INFRA_DIR/kafka/env.sh"

TOPICS_FILE="$KAFKA_INFRA/topics.tsv"
READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-90}"
kafka_need_java

describe_all() {
  timeout 60 bash -c "$(declare -f kafka_tool); KAFKA_LIBS='$KAFKA_LIBS' KAFKA_INFRA='$KAFKA_INFRA' kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server '$KAFKA_BOOTSTRAP' --describe --exclude-internal" 2>"$RUN_DIR/kafka-topics.err"
}

start=$SECONDS
while ! desc="$(describe_all)"; do
  if [ $((SECONDS - start)) -ge "$READY_TIMEOUT" ]; then
    tail -n 5 "$RUN_DIR/kafka-topics.err" >&2 || true
    die "broker on $KAFKA_BOOTSTRAP did not answer a metadata request within ${READY_TIMEOUT}s; see ${KAFKA_LOG#"$ROOT_DIR"/}"
  fi
  sleep 1
done
ok "broker ready: metadata request answered ($((SECONDS - start))s)"

# "Topic: NAME<TAB>TopicId: ..<TAB>PartitionCount: N<TAB>ReplicationFactor: R<TAB>Configs: k=v,.."
existing="$(printf '%s\n' "$desc" | awk -F'\t' '/^Topic: / {
    name=$1; sub(/^Topic: /, "", name); pc=""; cfg="";
    for (i=2; i<=NF; i++) { if ($i ~ /^PartitionCount: /) { pc=$i; sub(/^PartitionCount: /, "", pc) }
                            if ($i ~ /^Configs: /) { cfg=$i; sub(/^Configs: ?/, "", cfg) } }
    print name "\t" pc "\t" cfg }')"

created=0; present=0
while IFS=$'\t' read -r name parts rf configs || [ -n "${name:-}" ]; do
  case "$name" in ''|'#'*) continue ;; esac
  line="$(printf '%s\n' "$existing" | awk -F'\t' -v n="$name" '$1 == n' | head -n1)"
  if [ -n "$line" ]; then
    present=$((present + 1))
    have_parts="$(cut -f2 <<<"$line")"
    have_cfg="$(cut -f3 <<<"$line")"
    [ "$have_parts" = "$parts" ] || warn "topic $name has $have_parts partitions, topics.tsv says $parts (not changed; reset.sh recreates)"
    want_policy="$(tr ',' '\n' <<<"$configs" | sed -n 's/^cleanup.policy=//p')"
    have_policy="$(tr ',' '\n' <<<"$have_cfg" | sed -n 's/^cleanup.policy=//p')"
    [ -z "$want_policy" ] || [ "$want_policy" = "${have_policy:-delete}" ] || \
      warn "topic $name has cleanup.policy=${have_policy:-delete}, topics.tsv says $want_policy (not changed)"
    continue
  fi
  args=(--bootstrap-server "$KAFKA_BOOTSTRAP" --create --if-not-exists --topic "$name"
        --partitions "$parts" --replication-factor "${rf:-1}")
  IFS=',' read -r -a cfgs <<<"${configs:-}"
  for c in "${cfgs[@]}"; do [ -n "$c" ] && args+=(--config "$c"); done
  log "creating topic $name (partitions=$parts, rf=${rf:-1}${configs:+, $configs})"
  if ! out="$(kafka_tool org.apache.kafka.tools.TopicCommand "${args[@]}" 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "could not create topic $name"
  fi
  created=$((created + 1))
done <"$TOPICS_FILE"
ok "topics: $created created, $present already present"
