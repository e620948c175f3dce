# Sourced by run.sh and test.sh: installs what building the page needs, skipping what is present.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

if ! command -v cargo >/dev/null; then
    echo "cargo not found: install Rust with rustup (https://rustup.rs) first" >&2
    exit 1
fi
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
fi
# Trunk 0.21.14 is the last that builds with Rust 1.95.
if ! trunk --version 2>/dev/null | grep -q "0.21.14"; then
    cargo install trunk --version 0.21.14 --locked
fi
# The wasm-bindgen CLI must be exactly the version in Cargo.lock.
bindgen=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $bindgen\$"; then
    cargo install wasm-bindgen-cli --version "$bindgen"
fi
# wasm-opt (binaryen), the JavaScript minifier and the browser driver library come from npm.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/terser ]; then
    npm ci --no-audit --no-fund
fi
