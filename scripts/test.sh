#!/usr/bin/env bash
# Sets up what the tests need (skipping what is present) and runs all of them.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null; then
    echo "cargo not found: install Rust with rustup (https://rustup.rs) first" >&2
    exit 1
fi
# The library must also build for the browser.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
fi

echo "== format and lints"
cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings

echo "== native tests (unit, scenario, property, determinism, CLI, doc)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
cargo test --locked 2>&1 | tee "$log"
passed=$(grep -o '[0-9]* passed' "$log" | awk '{s+=$1} END {print s+0}')
failed=$(grep -o '[0-9]* failed' "$log" | awk '{s+=$1} END {print s+0}')

echo "== benchmarks compile"
cargo build --benches --locked

echo "== the library builds for wasm32"
cargo build --lib --locked --target wasm32-unknown-unknown
echo "tests: $passed passed, $failed failed"
