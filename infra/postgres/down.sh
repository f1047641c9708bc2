#!/usr/bin/env bash
# PostgreSQL is the machine's server, shared with other things: never stopped here.
COMPONENT=postgres
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh" || exit 1
log "left running (system server on $PG_HOST:$PG_PORT; infra/down.sh does not stop it)"
