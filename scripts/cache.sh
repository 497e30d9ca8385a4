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
