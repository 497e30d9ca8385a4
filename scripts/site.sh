#!/usr/bin/env bash
# Builds the site for release: the server and the browser bundle (each page's code split into
# chunks loaded on first use), the map's libraries from npm (node_modules, installed from the
# committed package-lock.json) copied into target/site/vendor, and every file compressed once at
# the best levels (served as it is). Needs scripts/cache.sh sourced and scripts/install.sh run.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo leptos build --release --split

vendor=target/site/vendor
rm -rf "$vendor"
mkdir -p "$vendor/leaflet" "$vendor/leaflet.markercluster"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
  node_modules/leaflet/LICENSE "$vendor/leaflet/"
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
  node_modules/leaflet.markercluster/dist/MarkerCluster.css \
  node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css \
  node_modules/leaflet.markercluster/MIT-LICENCE.txt "$vendor/leaflet.markercluster/"
# The QR reader the head's tablet loads when its camera opens.
mkdir -p "$vendor/jsqr"
cp node_modules/jsqr/dist/jsQR.js node_modules/jsqr/LICENSE "$vendor/jsqr/"

target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
"$target_dir/release/kezek" precompress --site-root target/site >/dev/null
