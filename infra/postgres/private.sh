#!/usr/bin/env bash
# A private PostgreSQL cluster of its own (not the machine's server), for suites that must
# stop or crash the database without disturbing anyone else: the fault suite (test/faults).
#   RPM_DATA_DIR=.data/faults RPM_PG_PORT=15433 bash infra/postgres/private.sh up [DB...]
#   ... private.sh restart fast|immediate    # pg_ctl restart -m fast / -m immediate (a crash)
#   ... private.sh down                      # pg_ctl stop -m fast
#   ... private.sh destroy                   # stopped and deleted
#   ... private.sh status
# The cluster lives in $RPM_DATA_DIR/pg, or in /var/tmp when the postgres user cannot reach the
# checkout (trust auth on 127.0.0.1, fsync on, the defaults of
# initdb otherwise). Refuses to run on the default data dir: the shared server is never touched.
COMPONENT=postgres
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1

[ -n "${RPM_DATA_DIR:-}" ] || die "set RPM_DATA_DIR (e.g. .data/faults): this script manages a private cluster only"
[ "$PG_PORT" != 5432 ] || die "set RPM_PG_PORT to a port other than 5432 (the shared server)"
PG_BIN="${RPM_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}"
[ -x "$PG_BIN/initdb" ] || die "initdb not found (set RPM_PG_BIN; apt-get install -y postgresql)"
PGDATA_DIR="$DATA_DIR/pg"
PG_LOG="$LOG_DIR/postgres.log"
ensure_dirs
# As root, initdb and the server run as postgres, which must reach the cluster's directory. A
# checkout under a private directory (mktemp -d makes it 0700, as CI's clean clone may be) is out
# of its reach: the cluster then lives in /var/tmp, under a name derived from this data directory.
if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$DATA_DIR" 2>/dev/null; then
  PG_HOME="/var/tmp/rpm-pg-$(printf '%s' "$DATA_DIR" | sha256sum | cut -c1-12)"
  mkdir -p "$PG_HOME" && chown postgres "$PG_HOME" && chmod 700 "$PG_HOME"
  PGDATA_DIR="$PG_HOME/pg"
  PG_LOG="$PG_HOME/postgres.log"
fi

# initdb and the server refuse to run as root: run them as the postgres user then.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_ctl_() { as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PG_LOG" "$@"; }
ready() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -t 2; }

cmd="${1:-status}"; shift || true
case "$cmd" in
  up)
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
      mkdir -p "$PGDATA_DIR"
      touch "$PG_LOG"
      if [ "$(id -u)" -eq 0 ]; then chown postgres "$PGDATA_DIR" "$PG_LOG"; fi
      chmod 700 "$PGDATA_DIR"
      log "initdb ${PGDATA_DIR#"$ROOT_DIR"/} (trust auth, port $PG_PORT)"
      as_pg "$PG_BIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
        || die "initdb failed"
      cat >>"$PGDATA_DIR/postgresql.conf" <<CONF
# infra/postgres/private.sh
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
fsync = on
max_connections = 200
CONF
    fi
    if ! ready; then
      if owner="$(port_listener "$PG_PORT")"; then die "port $PG_PORT in use (pid ${owner%% *}, ${owner#* })"; fi
      pg_ctl_ -w -t 60 start >/dev/null || { tail -n 20 "$PG_LOG" >&2; die "private cluster did not start"; }
    fi
    for db in "$@"; do
      if [ "$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qAtX -c "select 1 from pg_database where datname = '$db'")" != 1 ]; then
        psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qX -v ON_ERROR_STOP=1 -c "create database \"$db\"" >/dev/null || die "create database $db failed"
        log "created database $db"
      fi
    done
    ok "private cluster on 127.0.0.1:$PG_PORT (${PGDATA_DIR#"$ROOT_DIR"/})"
    ;;
  restart)
    mode="${1:-fast}"
    case "$mode" in fast|immediate|smart) ;; *) die "restart mode must be fast, immediate or smart" ;; esac
    pg_ctl_ -w -t 120 -m "$mode" restart >/dev/null || { tail -n 20 "$PG_LOG" >&2; die "restart -m $mode failed"; }
    ok "restarted (-m $mode)"
    ;;
  stop)
    # Stop only (for a suite that wants to time the outage itself); start with `up`.
    pg_ctl_ -w -t 120 -m "${1:-fast}" stop >/dev/null || die "stop failed"
    ;;
  down)
    if [ -f "$PGDATA_DIR/postmaster.pid" ]; then pg_ctl_ -w -t 60 -m fast stop >/dev/null || warn "stop failed"; fi
    ok "private cluster stopped"
    ;;
  destroy)
    # Stopped and deleted, wherever it lives (the caller's data directory or /var/tmp).
    if [ -f "$PGDATA_DIR/postmaster.pid" ]; then pg_ctl_ -w -t 60 -m fast stop >/dev/null || warn "stop failed"; fi
    rm -rf "$PGDATA_DIR"
    ok "private cluster deleted"
    ;;
  status)
    if ready; then ok "running on 127.0.0.1:$PG_PORT"; else log "not running"; exit 3; fi
    ;;
  *) die "usage: private.sh up [DB...] | restart fast|immediate | stop [MODE] | down | destroy | status" ;;
esac
