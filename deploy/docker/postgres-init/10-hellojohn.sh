#!/usr/bin/env bash
# Runs once, when the postgres container starts on an empty volume (docker-entrypoint-initdb.d).
# One role per plane, so neither plane can read the other's data (design.md §2):
#   hj_control_plane  owns the global database `hellojohn` (HJ_CP_DATABASE_URL)
#   hj_data_plane     may CREATE DATABASE, for managed tenant databases hj_t_* (HJ_TENANT_DATABASE_URL)
set -e

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v cp_password="$HELLOJOHN_CP_DB_PASSWORD" \
  -v dp_password="$HELLOJOHN_DP_DB_PASSWORD" <<'SQL'
CREATE ROLE hj_control_plane LOGIN PASSWORD :'cp_password';
CREATE ROLE hj_data_plane LOGIN CREATEDB PASSWORD :'dp_password';
CREATE DATABASE hellojohn OWNER hj_control_plane;
REVOKE CONNECT ON DATABASE hellojohn FROM PUBLIC;
SQL
