#!/usr/bin/env bash
# Sets up what the tests need (skipping what is present) and runs all of them.
source "$(dirname "$0")/setup.sh"
# Headless Chromium and its driver, from Debian.
if ! command -v chromedriver >/dev/null || ! command -v chromium >/dev/null; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

echo "== format and lints"
cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
cargo clippy --lib --target wasm32-unknown-unknown --locked -- -D warnings
# The page's first load is built without the simulator: keep that build clean too.
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --locked -- -D warnings

echo "== native tests (engine, editor, property, determinism, CLI, doc)"
cargo test --locked 2>&1 | tee -a "$log"
# The first load's own code (what it keeps as read) without the simulator.
cargo test --locked --lib --no-default-features 2>&1 | tee -a "$log"

echo "== benchmarks compile"
cargo build --benches --locked

echo "== in-browser tests (headless Chromium): the editor, the live run, and the engine's recorded traces in wasm32"
# Debug wasm is slow: give each suite room beyond the runner's 20 s default.
WASM_BINDGEN_TEST_TIMEOUT=180 cargo test --locked --target wasm32-unknown-unknown \
    --test browser --test browser_inspector --test browser_run --test browser_share --test browser_analysis --test browser_lesson --test wasm_determinism 2>&1 | tee -a "$log"

echo "== end to end: release build served from a sub-path"
trunk build --release
node tests/e2e/e2e.mjs dist 2>&1 | tee -a "$log"

passed=$(grep -oE '[0-9]+ passed' "$log" | awk '{s+=$1} END {print s+0}')
failed=$(grep -oE '[0-9]+ failed' "$log" | awk '{s+=$1} END {print s+0}')
echo "tests: $passed passed, $failed failed"
