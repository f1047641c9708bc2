#!/bin/bash
# First start of the postgres container only (docker-entrypoint-initdb.d): a login for Grafana
# that can read the tables the migrations create later, and change nothing.
set -euo pipefail
: "${GRAFANA_DB_PASSWORD:?set GRAFANA_DB_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username postgres --dbname rpm -v pw="$GRAFANA_DB_PASSWORD" <<'SQL'
CREATE ROLE grafana_reader LOGIN PASSWORD :'pw';
GRANT CONNECT ON DATABASE rpm TO grafana_reader;
GRANT USAGE ON SCHEMA public TO grafana_reader;
-- Tables made later by the migrate job (run as postgres) become readable too.
ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT SELECT ON TABLES TO grafana_reader;
ALTER ROLE grafana_reader SET default_transaction_read_only = on;
SQL
