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

step "release build"
cargo leptos build --release

step "browser tests (Playwright, Debian Chromium)"
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
e2e_dir=$(mktemp -d)
trap 'rm -rf "$e2e_dir"' EXIT
(
  cd end2end
  KEZEK_BIN="$target_dir/release/kezek" \
  LEPTOS_SITE_ROOT="$root/target/site" \
  KEZEK_E2E_DIR="$e2e_dir" \
  npx playwright test
)

step "all checks passed"
