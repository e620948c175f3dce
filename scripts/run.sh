#!/usr/bin/env bash
# Sets up (skipping what is present), builds the page and serves it at http://127.0.0.1:8080/
# with the sample scenario loaded. Ctrl+C stops it.
source "$(dirname "$0")/setup.sh"
echo "ClusterLab: open http://127.0.0.1:8080/"
exec trunk serve --release
