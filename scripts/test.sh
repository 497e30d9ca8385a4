#!/usr/bin/env bash
# Runs every check of Kezek: formatting, clippy for the server and for wasm32, unit, property,
# storage (SQLite and PostgreSQL) and HTTP tests, the release build, and the browser tests
# (Playwright with Debian's Chromium, JavaScript on and off, axe-core on every page).
set -euo pipefail
cd "$(dirname "$0")/.."
# Build cache outside the clone, shared between clones (as hosted CI caches target/).
source scripts/cache.sh
root=$(pwd)

started=$(date +%s)
step() { printf '\n\033[1m==> [%4ss] %s\033[0m\n' "$(( $(date +%s) - started ))" "$*"; }

step "install"
bash scripts/install.sh --test

step "PostgreSQL"
source scripts/postgres.sh
export KEZEK_TEST_POSTGRES_URL
export KEZEK_REQUIRE_POSTGRES=1

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy: server (ssr) and tests"
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p server --all-targets -- -D warnings
step "clippy: browser (wasm32, hydrate)"
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

step "unit, property, storage (SQLite + PostgreSQL) and HTTP tests"
cargo test -p app --features ssr
cargo test -p server

step "release build (pages split into lazily loaded chunks, the map's libraries, the site precompressed)"
bash scripts/site.sh
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')

step "browser tests (Playwright, Debian Chromium)"
e2e_dir=$(mktemp -d)
trap 'rm -rf "$e2e_dir"' EXIT
(
  cd end2end
  KEZEK_BIN="$target_dir/release/kezek" \
  LEPTOS_SITE_ROOT="$root/target/site" \
  KEZEK_E2E_DIR="$e2e_dir" \
  npx playwright test
)

step "no IIN of the demo city in the server's log of the browser tests"
python3 - "$e2e_dir" <<'PY'
import re, sqlite3, sys
d = sys.argv[1]
log = open(f"{d}/server.log", encoding="utf-8", errors="replace").read()
db = sqlite3.connect(f"{d}/kezek.db")
iins = {r[0] for r in db.execute("SELECT child_iin FROM applications UNION SELECT parent_iin FROM applications")}
assert len(iins) > 60000, f"the demo city has {len(iins)} IINs?"
lines = log.count("\n")
assert lines > 0, "the server wrote no log"
found = sorted(set(re.findall(r"(?<!\d)\d{12}(?!\d)", log)) & iins)
print(f"{lines} log lines, {len(iins)} IINs of the demo city, {len(found)} found in the log")
sys.exit(1 if found else 0)
PY

step "all checks passed"
