#!/bin/bash
# Runs once, on the first start of the postgis/postgis:15-3.3 container (docker-entrypoint-initdb.d): the roles
# and the flowdb database FlowAkka expects. The schema and the data come from the one-shot `flowdb-init` service
# (`flowakka datagen --if-empty`), so the DDL lives in one place: src/FlowAkka.FlowDb.
set -euo pipefail
flowmachine_password="$(cat /run/secrets/FLOWMACHINE_FLOWDB_PASSWORD)"
flowapi_password="$(cat /run/secrets/FLOWAPI_FLOWDB_PASSWORD)"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
     -v fm="$flowmachine_password" -v fa="$flowapi_password" <<'SQL'
CREATE ROLE flowmachine LOGIN CREATEDB PASSWORD :'fm';
CREATE ROLE flowapi LOGIN PASSWORD :'fa';
CREATE DATABASE flowdb OWNER flowmachine;
\connect flowdb
CREATE EXTENSION IF NOT EXISTS postgis;
GRANT CONNECT ON DATABASE flowdb TO flowapi;
SQL
