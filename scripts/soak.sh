#!/usr/bin/env bash
# A long run of `portinfo serve` (release build) on loopback, against goals; PASS or FAIL per goal,
# exit 1 when any fails:
#  - 1,000,000 mixed requests with wrk (scripts/wrk/soak.lua: ports, services, searches, 304s through
#    If-None-Match with the real ETags, bad ports, unknown services and paths), counted by status
#    class: no transport error (connect, read, write, timeout) and no 5xx;
#  - resident memory after 1,000,000 within 10% of what it was after 100,000 (the answer caches are
#    warmed first, so growth after that is a leak);
#  - then SIGTERM under load (scripts/abuse/shutdown_under_load.py): every request sent on an
#    accepted connection answered, every connection closed, exit status 0.
#   scripts/soak.sh [--ci]   (--ci: 200,000 requests; CSV: $PORTINFO_IANA_CSV, else the repository's iana/;
#                             installs wrk if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ beside the helpers
total=1000000
case "${1:-}" in
    --ci) total=200000 ;;
    "") ;;
    *) echo "usage: scripts/soak.sh [--ci]" >&2; exit 64 ;;
esac
csv=${PORTINFO_IANA_CSV:-$(echo iana/service-names-port-numbers-*.csv)}
[ -f "$csv" ] || { echo "soak: no IANA CSV at $csv (set PORTINFO_IANA_CSV)" >&2; exit 2; }
if ! command -v wrk >/dev/null; then
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null
fi
warm_up=20000
checkpoint=100000
threads=2
connections=50
grace=10

binary=$(scripts/release-binary.sh)
work=$(mktemp -d)
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
"$binary" seed --csv "$csv" --db "$work/registry.db" >/dev/null

: >"$work/server.log" # there before the server writes it, for the wait below
# Every client here is 127.0.0.1, and at most about 120 connections are open at once: under the
# server's per-client cap (256).
"$binary" serve --db "$work/registry.db" --host 127.0.0.1 --port 0 --access-log off --shutdown-grace "$grace" \
    >"$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 200); do
    port=$(sed -n 's/.*listening on [^ ]* port \([0-9]*\).*/\1/p' "$work/server.log")
    [ -n "$port" ] && break
    sleep 0.05
done
[ -n "$port" ] || { echo "soak: the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
url="http://127.0.0.1:$port"
etag() { curl -fsI "$url$1" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" { print $2 }'; }
ports_etag=$(etag /ports/600)
services_etag=$(etag /services/http)
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$server_pid/status"; }

failed=0
goal() { # goal OK NAME FIGURE GOAL
    if [ "$1" = 1 ]; then echo "PASS  $2: $3 (goal: $4)"; else echo "FAIL  $2: $3 (goal: $4)"; failed=1; fi
}

# wrk waits out its whole -d even when every thread has stopped: each thread notes its stop in a
# file (soak.lua's 5th argument), and wrk is interrupted once all have.
declare -A sum=()
run_wrk() { # run_wrk REQUESTS
    local stopped="$work/stopped" output="$work/wrk.out"
    : >"$stopped"
    wrk -t"$threads" -c"$connections" -d1800s --timeout 10s -s "$PWD/scripts/wrk/soak.lua" "$url" \
        -- "$1" "$threads" "$ports_etag" "$services_etag" "$stopped" >"$output" &
    local wrk_pid=$!
    while kill -0 "$wrk_pid" 2>/dev/null && [ "$(wc -l <"$stopped")" -lt "$threads" ]; do sleep 0.1; done
    kill -INT "$wrk_pid" 2>/dev/null || true
    wait "$wrk_pid" || true
    local pair
    for pair in $(grep -E '^(statuses|errors) ' "$output" | cut -d' ' -f2-); do
        sum[${pair%%=*}]=$((${sum[${pair%%=*}]:-0} + ${pair#*=}))
    done
    grep '^requests ' "$output" | awk '{ printf "      %d requests in %.1f s: %.0f req/s, p50 %s ms, p99 %s ms\n", $2, $4, $2 / $4, $6, $8 }'
}

echo "== soak: $total mixed requests, $threads wrk threads, $connections connections"
run_wrk "$warm_up"
run_wrk $((checkpoint - warm_up))
rss_checkpoint=$(rss_kb)
run_wrk $((total - checkpoint))
rss_end=$(rss_kb)

answered=$((${sum[2xx]} + ${sum[3xx]} + ${sum[4xx]} + ${sum[5xx]} + ${sum[other]}))
echo "      answers: 2xx ${sum[2xx]}, 3xx ${sum[3xx]}, 4xx ${sum[4xx]}, 5xx ${sum[5xx]}, other ${sum[other]} ($answered in all)"
transport_errors=$((${sum[connect]} + ${sum[read]} + ${sum[write]} + ${sum[timeout]}))
goal $((answered >= total)) "requests answered" "$answered" ">= $total"
goal $((transport_errors == 0)) "transport errors" "connect ${sum[connect]}, read ${sum[read]}, write ${sum[write]}, timeout ${sum[timeout]}" "0"
goal $((${sum[5xx]} == 0)) "5xx answers" "${sum[5xx]}" "0"
# soak.lua sends 2 conditional requests in 20, each with the real ETag.
goal $((${sum[3xx]} * 10 >= answered * 9 / 10 && ${sum[3xx]} * 10 <= answered * 11 / 10)) "304s to If-None-Match" \
    "${sum[3xx]}" "a tenth of the answers"
goal "$(awk -v a="$rss_checkpoint" -v b="$rss_end" 'BEGIN { print (b <= a * 1.1 && b >= a * 0.9) ? 1 : 0 }')" \
    "resident memory" "$(awk -v a="$rss_checkpoint" -v b="$rss_end" -v c="$checkpoint" -v t="$total" \
        'BEGIN { printf "%.1f MB after %d, %.1f MB after %d (%+.1f%%)", a / 1024, c, b / 1024, t, (b - a) * 100 / a }')" "within 10%"

# SIGTERM while wrk keeps the server busy beside the clients that count every answer.
wrk -t1 -c20 -d120s --timeout 10s -s "$PWD/scripts/wrk/soak.lua" "$url" \
    -- 1000000000 1 "$ports_etag" "$services_etag" /dev/null >/dev/null 2>&1 &
load_pid=$!
sleep 1
python3 scripts/abuse/shutdown_under_load.py --port "$port" --pid "$server_pid" --grace "$grace" || failed=1
kill -INT "$load_pid" 2>/dev/null || true
wait "$load_pid" || true
status=0
wait "$server_pid" || status=$?
server_pid=""
goal $((status == 0)) "exit status after SIGTERM" "$status" "0"
echo "      the server's last lines: $(tail -n 2 "$work/server.log" | tr '\n' '|')"
exit "$failed"
