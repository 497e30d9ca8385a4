# Sourced by run.sh and test.sh: the shared build cache outside the clone.
#
# Cargo names the artifacts of workspace crates by their path relative to the workspace root,
# so two clones sharing one CARGO_TARGET_DIR share those artifacts and judge freshness by file
# times. When the cache was last used by another clone, touch our sources so that an older
# checkout never links crates built from a newer one.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/kezek/target}
mkdir -p "$CARGO_TARGET_DIR"
if [ "$(cat "$CARGO_TARGET_DIR/.kezek-clone" 2>/dev/null)" != "$PWD" ]; then
  find app frontend server -name '*.rs' -exec touch {} +
  touch app/migrations/*/*.sql
  printf '%s\n' "$PWD" > "$CARGO_TARGET_DIR/.kezek-clone"
fi
# A cache shared by many clones only grows (each build keeps its test binaries and incremental
# state; it once reached 51 GB and a test run died with "No space left on device"). Its builds
# take about 28 GB; past 45 GB the incremental state and the test binaries not built for a day
# are dropped.
cache_gb=$(du -s --block-size=1G "$CARGO_TARGET_DIR" 2>/dev/null | cut -f1)
if [ "${cache_gb:-0}" -gt 45 ]; then
  echo "the build cache holds ${cache_gb} GB: dropping its incremental state and old test binaries" >&2
  rm -rf "$CARGO_TARGET_DIR/debug/incremental" "$CARGO_TARGET_DIR/release/incremental"
  find "$CARGO_TARGET_DIR/debug/deps" -maxdepth 1 -type f -executable ! -name '*.so' -mtime +0 -delete 2>/dev/null || true
fi
