#!/usr/bin/env bash
# Sets up and runs ClusterLab on the sample scenario (web / app / db with NLB and a CSV).
# Until the browser app lands this is the command-line runner; pass another scenario to run it.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cargo >/dev/null; then
    echo "cargo not found: install Rust with rustup (https://rustup.rs) first" >&2
    exit 1
fi
scenario="${1:-examples/web-app-db.json}"
cargo run --release --locked --quiet -- validate "$scenario" || true
cargo run --release --locked --quiet -- run "$scenario"
