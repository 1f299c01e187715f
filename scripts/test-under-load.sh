#!/usr/bin/env bash
# Runs the whole test suite (the README's `swift test --parallel`) RUNS times while every
# processor is kept busy by `stress-ng --cpu 0` (Debian's stress-ng, installed when missing), to
# show that no test's verdict depends on the machine's load. Not part of .ci/run: ten runs take
# the better part of an hour. Prints each run's verdict and time, then how many passed; a failed
# run's output is kept under .build/test-under-load/ (its path is printed).
#
#   scripts/test-under-load.sh [RUNS]     default 10
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"
runs=${1:-10}

if ! command -v stress-ng >/dev/null; then
    apt-get install -y -q --no-install-recommends stress-ng >/dev/null
fi
swift build --build-tests >/dev/null

logs=.build/test-under-load
mkdir -p "$logs"
stress-ng --cpu 0 --quiet &
stress=$!
trap 'kill $stress 2>/dev/null; wait $stress 2>/dev/null || true' EXIT
echo "stress-ng --cpu 0 on $(nproc) processors (pid $stress); load now $(cut -d' ' -f1 /proc/loadavg)"

passed=0
for run in $(seq 1 "$runs"); do
    started=$SECONDS
    log="$logs/run-$run.log"
    if swift test --parallel --skip-build >"$log" 2>&1; then
        passed=$((passed + 1))
        verdict=passed
    else
        verdict="FAILED ($(grep -c '✘ Test .* recorded an issue' "$log" || true) issues; $log)"
    fi
    echo "run $run: $verdict in $((SECONDS - started)) s, load $(cut -d' ' -f1 /proc/loadavg): $(grep -o 'Test run with [0-9]* tests' "$log" | head -1)"
done
echo "$passed/$runs runs passed under stress-ng --cpu 0"
[[ $passed == "$runs" ]]
