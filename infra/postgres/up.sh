#!/usr/bin/env bash
# Makes sure the local PostgreSQL on 127.0.0.1:5432 is reachable (starting the
# Debian cluster if it is down) and creates the databases rpm and rpm_test when
# missing. Schema migrations are not done here (TypeORM, see the services).
COMPONENT=postgres
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1
DATABASES=(${RPM_DATABASES:-rpm rpm_test})

need_cmd psql "apt-get install -y postgresql-client"
need_cmd pg_isready "apt-get install -y postgresql-client"

reachable() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 3; }

if ! reachable; then
  log "server on $PG_HOST:$PG_PORT not reachable; trying to start the local cluster"
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    for v in $(ls /etc/postgresql); do
      [ -d "/etc/postgresql/$v/main" ] || continue
      log "pg_ctlcluster $v main start"
      pg_ctlcluster --skip-systemctl-redirect "$v" main start || warn "pg_ctlcluster $v main start failed"
    done
    for _ in $(seq 1 30); do reachable && break; sleep 0.5; done
  fi
  reachable || die "PostgreSQL not reachable on $PG_HOST:$PG_PORT and could not be started (install: apt-get install -y postgresql; the scripts expect trust auth for user $PG_USER on 127.0.0.1)"
  ok "server started"
fi

psql_q() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -qAtX "$@"; }
if ! ver="$(psql_q -c 'show server_version' 2>&1)"; then
  die "cannot connect as $PG_USER to $PG_HOST:$PG_PORT: $ver"
fi
created=()
for db in "${DATABASES[@]}"; do
  if [ "$(psql_q -c "select 1 from pg_database where datname = '$db'")" != 1 ]; then
    psql_q -c "create database \"$db\"" || die "could not create database $db"
    created+=("$db")
  fi
done
if [ "${#created[@]}" -gt 0 ]; then
  ok "PostgreSQL $ver on $PG_HOST:$PG_PORT; created database(s): ${created[*]}"
else
  log "PostgreSQL $ver on $PG_HOST:$PG_PORT; databases ${DATABASES[*]} present"
fi
