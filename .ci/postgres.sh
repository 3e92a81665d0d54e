#!/usr/bin/env bash
# Start Debian's PostgreSQL (installed by .ci/run) and create a throwaway test database.
# Prints the URL for LIVERLENS_TEST_POSTGRES_URL on stdout. Local only: 127.0.0.1.
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -q && break
  sleep 1
done
su postgres -c "psql -q -c \"DROP DATABASE IF EXISTS liverlens_test\"" >/dev/null
su postgres -c "psql -q -c \"DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='liverlens') THEN CREATE ROLE liverlens LOGIN PASSWORD 'liverlens'; END IF; END\\\$\\\$\"" >/dev/null
su postgres -c "psql -q -c \"CREATE DATABASE liverlens_test OWNER liverlens\"" >/dev/null
echo "postgresql+psycopg://liverlens:liverlens@127.0.0.1:5432/liverlens_test"
