#!/bin/bash
# One-shot: creates the topics of infra/kafka/topics.tsv (mounted at /topics.tsv).
set -euo pipefail
bin=/opt/kafka/bin/kafka-topics.sh
bs="${KAFKA_BOOTSTRAP:-kafka:9092}"
for i in $(seq 1 90); do "$bin" --bootstrap-server "$bs" --list >/dev/null 2>&1 && break; sleep 1; done
"$bin" --bootstrap-server "$bs" --list >/dev/null
while IFS=$'\t' read -r name parts rf configs || [ -n "${name:-}" ]; do
  case "$name" in ''|'#'*) continue ;; esac
  args=(--bootstrap-server "$bs" --create --if-not-exists --topic "$name" --partitions "$parts" --replication-factor "${rf:-1}")
  IFS=',' read -r -a cfgs <<<"${configs:-}"
  for c in "${cfgs[@]}"; do [ -n "$c" ] && args+=(--config "$c"); done
  "$bin" "${args[@]}"
done </topics.tsv
