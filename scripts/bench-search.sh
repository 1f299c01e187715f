#!/usr/bin/env bash
# Search throughput of `portinfo serve` on loopback: wrk (keep-alive, 50 connections) on
# /search?q=… for a common word, a two-word phrase, a single letter and an everyday name, each
# beside GET /ports/600 measured in the same run, with the ratio search/ports (so a slower or
# busier machine moves both). With a baseline binary (say, one built from the revision before a
# ranking change), the same queries on it too, and the ratio of this build's req/s to its.
#   scripts/bench-search.sh [--baseline BINARY]   (CSV: $PORTINFO_IANA_CSV, else the repository's
#                                                  iana/; BENCH_DURATION, default 5s a measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-lib.sh
baseline_option bench-search "$@"
csv=${PORTINFO_IANA_CSV:-$(echo iana/service-names-port-numbers-*.csv)}
[ -f "$csv" ] || { echo "bench-search: no IANA CSV at $csv (set PORTINFO_IANA_CSV)" >&2; exit 2; }
command -v wrk >/dev/null || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
duration=${BENCH_DURATION:-5s}
port=18090
targets=(/ports/600 "/search?q=sql" "/search?q=network+file+system" "/search?q=s" "/search?q=dns")

binary=$(scripts/release-binary.sh)
work=$(mktemp -d)
server_pid=""
stop_server() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi; }
trap 'stop_server; rm -rf "$work"' EXIT

# measure BINARY LABEL: seeds a database with BINARY, serves it, prints "LABEL TARGET REQ/S" per target.
measure() {
    local binary=$1 label=$2 target rps
    rm -f "$work/registry.db"
    "$binary" seed --csv "$csv" --db "$work/registry.db" >/dev/null
    "$binary" serve --db "$work/registry.db" --host 127.0.0.1 --port "$port" --access-log off >/dev/null &
    server_pid=$!
    for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.05; done
    curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" || { echo "bench-search: $binary does not serve" >&2; exit 1; }
    for target in "${targets[@]}"; do
        curl -fs -o /dev/null "http://127.0.0.1:$port$target" || { echo "bench-search: $label does not answer $target" >&2; exit 1; }
        rps=$(wrk -t2 -c50 -d"$duration" "http://127.0.0.1:$port$target" | awk '$1 == "Requests/sec:" { printf "%.0f", $2 }')
        echo "$label $target $rps"
    done
    stop_server
}

{
    measure "$binary" this
    [ -z "$baseline" ] || measure "$baseline" baseline
} >"$work/figures"

awk -v with_baseline="${baseline:+1}" '
    { rps[$1, $2] = $3; if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } }
    END {
        printf "%-32s %10s %12s", "", "req/s", "/ports ratio"
        if (with_baseline) printf " %14s %12s %16s", "baseline req/s", "/ports ratio", "this/baseline"
        printf "\n"
        for (i = 1; i <= n; i++) {
            t = order[i]
            printf "%-32s %10d %12.3f", t, rps["this", t], rps["this", t] / rps["this", "/ports/600"]
            if (with_baseline)
                printf " %14d %12.3f %16.2f", rps["baseline", t], rps["baseline", t] / rps["baseline", "/ports/600"], rps["this", t] / rps["baseline", t]
            printf "\n"
        }
    }' "$work/figures"
