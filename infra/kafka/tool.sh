#!/usr/bin/env bash
# Runs a Kafka CLI main class with the cached jars, e.g.
#   infra/kafka/tool.sh org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 --list
#   infra/kafka/tool.sh org.apache.kafka.tools.ProducerPerformance --topic rpm.observations.v1 \
#       --num-records 100000 --record-size 300 --throughput -1 --producer-props bootstrap.servers=127.0.0.1:9092 acks=all
#   infra/kafka/tool.sh org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server 127.0.0.1:9092 --topic rpm.alerts.v1 --from-beginning
COMPONENT=kafka
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1
source "$INFRA_DIR/kafka/env.sh"
[ $# -ge 1 ] || die "usage: infra/kafka/tool.sh MAIN_CLASS [ARGS...]"
kafka_need_java
bash "$KAFKA_INFRA/fetch-libs.sh" >&2
exec java -Xmx512m -Dlog4j2.configurationFile="$KAFKA_INFRA/log4j2-tools.xml" -cp "$KAFKA_LIBS/*" "$@"
