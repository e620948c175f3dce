#!/usr/bin/env bash
# The long checks (docs/performance.md): 1,000 generated scenarios give the natively recorded
# trace hashes in headless Chromium (wasm32), and 100,000 random scenarios keep every invariant
# after every event. CI runs 100 and 300 of them inside scripts/test.sh.
source "$(dirname "$0")/setup.sh"
if ! command -v chromedriver >/dev/null || ! command -v chromium >/dev/null; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
fi
echo "== determinism sweep: ${CLUSTERLAB_SWEEP:=1000} scenarios, native hashes reproduced in wasm32"
cargo test --locked --release --test sweep
CLUSTERLAB_SWEEP=$CLUSTERLAB_SWEEP WASM_BINDGEN_TEST_TIMEOUT=1800 \
    cargo test --locked --target wasm32-unknown-unknown --test wasm_determinism
echo "== invariant sweep: ${CLUSTERLAB_CASES:=100000} random scenarios"
time CLUSTERLAB_CASES=$CLUSTERLAB_CASES cargo test --locked --release --test properties invariants
