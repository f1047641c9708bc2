#!/usr/bin/env bash
# Downloads the Kafka runtime jars listed in infra/kafka/pom.xml into
# .cache/kafka/libs (once). Skips when the jars are there and the pom's sha256
# matches the one recorded at the last successful download.
COMPONENT=kafka
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1
source "$INFRA_DIR/kafka/env.sh"

want_sha="$(files_sha256 "$KAFKA_POM")"
have_sha="$(cat "$KAFKA_POM_SHA_FILE" 2>/dev/null || true)"
if [ "$want_sha" = "$have_sha" ] && compgen -G "$KAFKA_LIBS/kafka_2.13-*.jar" >/dev/null; then
  log "jars up to date in ${KAFKA_LIBS#"$ROOT_DIR"/} ($(ls "$KAFKA_LIBS" | wc -l) jars)"
  exit 0
fi

need_cmd mvn "install Maven: apt-get install -y maven"
kafka_need_java
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$KAFKA_POM")"
log "downloading Kafka $version jars with Maven (first run only, ~55 MB) ..."
tmp="$CACHE_DIR/kafka/libs.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
if ! mvn -q -B -f "$KAFKA_POM" dependency:copy-dependencies \
      -DoutputDirectory="$tmp" -DincludeScope=runtime >"$CACHE_DIR/kafka/mvn.log" 2>&1; then
  tail -n 30 "$CACHE_DIR/kafka/mvn.log" >&2
  die "mvn dependency:copy-dependencies failed (full output: ${CACHE_DIR#"$ROOT_DIR"/}/kafka/mvn.log)"
fi
compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null || die "mvn finished but kafka_2.13 jar is missing in $tmp"
rm -rf "$KAFKA_LIBS"
mv "$tmp" "$KAFKA_LIBS"
trap - EXIT
printf '%s\n' "$want_sha" >"$KAFKA_POM_SHA_FILE"
ok "downloaded $(ls "$KAFKA_LIBS" | wc -l) jars to ${KAFKA_LIBS#"$ROOT_DIR"/}"
