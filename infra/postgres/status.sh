#!/usr/bin/env bash
# Prints whether PostgreSQL answers and which project databases exist; exit 0/3.
COMPONENT=postgres
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1
DATABASES=(${RPM_DATABASES:-rpm rpm_test})
if pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 3 2>/dev/null; then
  have="$(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qAtX -c "select string_agg(datname, ' ' order by datname) from pg_database where datname in ('$(IFS=,; echo "${DATABASES[*]}" | sed "s/,/','/g")')" 2>/dev/null || echo '?')"
  ok "running: $PG_HOST:$PG_PORT (system server, not managed by down.sh), databases: ${have:-none}"
  exit 0
fi
log "not reachable on $PG_HOST:$PG_PORT"
exit 3
