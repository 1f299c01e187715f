#!/usr/bin/env bash
# What loading a registry costs the server: the time from `portinfo serve` to its first 200, with
# the full IANA snapshot alone and beside site files of 10,000 and 100,000 rows (the row cap:
# target about 5 s on this 2-core machine), median of 3 each; and how soon a database with a
# 10,000-row junk table is refused. With a baseline binary (one built before the site file's
# clashes were found in linear time, say), the same on it, and the ratio: its 100,000-row file is
# left out (quadratic, it took minutes), unless BENCH_BASELINE_BIG=1.
#   scripts/bench-load.sh [--baseline BINARY]   (CSV: $PORTINFO_IANA_CSV, else the repository's iana/)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-lib.sh
baseline_option bench-load "$@"
csv=${PORTINFO_IANA_CSV:-$(echo iana/service-names-port-numbers-*.csv)}
[ -f "$csv" ] || { echo "bench-load: no IANA CSV at $csv (set PORTINFO_IANA_CSV)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "bench-load: needs the sqlite3 command (apt-get install sqlite3)" >&2; exit 2; }
runs=3
port=18091

binary=$(scripts/release-binary.sh)
work=$(mktemp -d)
server_pid=""
stop_server() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi; }
trap 'stop_server; rm -rf "$work"' EXIT

"$binary" seed --csv "$csv" --db "$work/registry.db" >/dev/null
for rows in 10000 100000; do
    awk -v rows="$rows" 'BEGIN {
        print "Service Name,Port Number,Transport Protocol,Description,Assignee"
        for (i = 0; i < rows; i++) printf "site-svc-%d,%d,%s,Internal service %d,team-%d\n", i, i % 65536, i % 2 ? "tcp" : "udp", i, i % 100
    }' >"$work/site-$rows.csv"
done
cp "$work/registry.db" "$work/junk.db"
sqlite3 "$work/junk.db" "CREATE TABLE junk (x);
    WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 10000) INSERT INTO junk SELECT randomblob(100) FROM c"

# first_200 BINARY ARGUMENTS...: µs from starting `serve` to its first 200 on /healthz.
first_200() {
    local binary=$1 started now
    shift
    started=$(date +%s%N)
    "$binary" serve --db "$work/registry.db" --host 127.0.0.1 --port "$port" --access-log off "$@" >/dev/null 2>&1 &
    server_pid=$!
    until curl -fs -o /dev/null "http://127.0.0.1:$port/healthz"; do
        kill -0 "$server_pid" 2>/dev/null || { echo "bench-load: serve $* exited" >&2; exit 1; }
        sleep 0.002
    done
    now=$(date +%s%N)
    stop_server
    echo $(((now - started) / 1000))
}

# measure BINARY LABEL: "LABEL CASE MEDIAN_µs" for each case.
measure() {
    local binary=$1 label=$2 case times
    for case in none 10000 100000; do
        [[ $label == baseline && $case == 100000 && ${BENCH_BASELINE_BIG:-0} != 1 ]] && continue
        times=()
        for _ in $(seq "$runs"); do
            if [[ $case == none ]]; then times+=("$(first_200 "$binary")"); else times+=("$(first_200 "$binary" --site-ports "$work/site-$case.csv")"); fi
        done
        echo "$label $case $(median "${times[@]}")"
    done
}

{
    measure "$binary" this
    [ -z "$baseline" ] || measure "$baseline" baseline
} >"$work/figures"

awk -v with_baseline="${baseline:+1}" '
    { us[$1, $2] = $3 }
    END {
        printf "%-30s %14s", "start to first 200 (median of 3)", "this"
        if (with_baseline) printf " %14s %14s", "baseline", "this/baseline"
        printf "\n"
        split("none 10000 100000", cases, " ")
        for (i = 1; i <= 3; i++) {
            c = cases[i]
            printf "%-30s %11.0f ms", c == "none" ? "the registry alone" : "with a site file of " c " rows", us["this", c] / 1000
            if (with_baseline && (("baseline", c) in us)) printf " %11.0f ms %14.2f", us["baseline", c] / 1000, us["this", c] / us["baseline", c]
            printf "\n"
        }
        printf "100,000 rows: %.1f s, %.2fx the target of about 5 s\n", us["this", "100000"] / 1e6, us["this", "100000"] / 5e6
    }' "$work/figures"

started=$(date +%s%N)
"$binary" lookup 600 --db "$work/junk.db" >/dev/null 2>"$work/junk.err" || true
refused=$((($(date +%s%N) - started) / 1000))
sound=$(microseconds "$binary" lookup 600 --db "$work/registry.db")
echo "a database with a 10,000-row junk table ($(($(stat -c %s "$work/junk.db") / 1024)) KiB): refused in $((refused / 1000)) ms" \
     "(a sound one answers in $((sound / 1000)) ms): $(cat "$work/junk.err")"
