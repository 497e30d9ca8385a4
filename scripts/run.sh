#!/usr/bin/env bash
# Builds Kezek and serves it at http://127.0.0.1:3000 on the embedded SQLite default
# (./data/kezek.db), loading the demo city of Almaty on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
# Build cache outside the clone, shared between clones (as hosted CI caches target/).
source scripts/cache.sh
bash scripts/install.sh
export KEZEK_SEED_DEMO=${KEZEK_SEED_DEMO:-1}
# Dev mode: a dev CA and sign-in as anyone (loopback only); see the README.
export KEZEK_DEV=${KEZEK_DEV:-1}
# The release build, its pages' code split into chunks loaded on first use, the map's
# libraries, and the site's files compressed once at the best levels (served as they are).
bash scripts/site.sh
exec "$CARGO_TARGET_DIR/release/kezek" serve
