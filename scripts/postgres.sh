# Sourced by test.sh: makes sure a local PostgreSQL runs and sets KEZEK_TEST_POSTGRES_URL to a
# role that may create the per-test databases. Loopback only.
pg_version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
if [ -z "$pg_version" ]; then
  echo "PostgreSQL is not installed" >&2
  exit 1
fi
if ! pg_isready -q -h 127.0.0.1; then
  if [ "$(id -u)" = 0 ]; then
    pg_ctlcluster "$pg_version" main start
  else
    sudo pg_ctlcluster "$pg_version" main start
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
fi
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
as_postgres "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = 'kezek_test'\" | grep -q 1 || psql -qc \"CREATE ROLE kezek_test LOGIN CREATEDB PASSWORD 'kezek_test'\""
as_postgres "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname = 'kezek_test'\" | grep -q 1 || psql -qc 'CREATE DATABASE kezek_test OWNER kezek_test'"
KEZEK_TEST_POSTGRES_URL=${KEZEK_TEST_POSTGRES_URL:-postgres://kezek_test:kezek_test@127.0.0.1:5432/kezek_test}
