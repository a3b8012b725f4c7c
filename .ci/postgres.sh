#!/usr/bin/env bash
# CI helper, meant to be sourced by .ci/run (CI=true, as root): makes sure a PostgreSQL server
# answers on 127.0.0.1:5432 with role footprint (password footprint) owning footprint_test.
# Idempotent: installs Debian's postgresql only when missing, starts the cluster only when it
# is down, creates the role and the database only when absent. Exports nothing; it prints the
# URL that .ci/run exports as FOOTPRINT_TEST_POSTGRES_URL.
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "Installing: postgresql"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
conf=/etc/postgresql/$version/main/postgresql.conf
# Loopback only: the tests never need the server reachable from elsewhere.
if ! grep -q "^listen_addresses = '127.0.0.1'" "$conf"; then
  echo "listen_addresses = '127.0.0.1'" >>"$conf"
  pg_ctlcluster "$version" main stop >/dev/null 2>&1 || true
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -qx online; then
  pg_ctlcluster "$version" main start
fi
for _ in $(seq 1 30); do
  runuser -u postgres -- pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done

runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'footprint') THEN
    CREATE ROLE footprint LOGIN PASSWORD 'footprint';
  END IF;
END
$$;
SQL
if ! runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'footprint_test'" | grep -q 1; then
  runuser -u postgres -- createdb -O footprint footprint_test
fi

echo "postgres://footprint:footprint@127.0.0.1:5432/footprint_test"
