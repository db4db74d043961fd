#!/usr/bin/env bash
# Builds the release binaries we install and benchmark: inferctl and inference-sim in
# .build-release/release, with the Swift runtime and Foundation linked in (--static-swift-stdlib).
# Statically linked, a process starts in about half the time (no dynamic symbol lookups), which
# every `inferctl` command and every simulated server pays; the binaries need no Swift toolchain.
#
#   scripts/build-release.sh            # then: .build-release/release/inferctl apply
set -euo pipefail
cd "$(dirname "$0")/.."
for product in inferctl inference-sim; do
    swift build -c release --static-swift-stdlib --scratch-path .build-release --product "$product"
done
echo "built: $(pwd)/.build-release/release/inferctl and inference-sim"
