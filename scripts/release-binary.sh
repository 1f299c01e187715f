#!/usr/bin/env bash
# Builds the release portinfo and prints its path, for the scripts that run the release binary:
#   binary=$(scripts/release-binary.sh)
# swift build does nothing when nothing changed, so the scripts CI runs one after another share
# one build. The build's own output is shown only when it fails.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! swift build -c release --product portinfo >"$log" 2>&1; then
    cat "$log" >&2
    echo "release-binary: swift build -c release --product portinfo failed" >&2
    exit 1
fi
echo "$(swift build -c release --show-bin-path)/portinfo"
