#!/usr/bin/env bash
# GET /listeners (scan reuse off) against `ss -tulpn`, with 10,000 extra listening sockets open
# (held by a helper process that raises its descriptor limit), in the same run, median of 7
# each; prints the ratio (target <= 0.5: half ss's time). Then where the time goes: the same GET
# for one port (the scan, and a small answer), and each step of a scan timed by ListenerBench.
#   scripts/bench-listeners.sh      (CSV: $PORTINFO_IANA_CSV, else the repository's iana/; installs iproute2 if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-lib.sh
csv=${PORTINFO_IANA_CSV:-$(echo iana/service-names-port-numbers-*.csv)}
[ -f "$csv" ] || { echo "bench-listeners: no IANA CSV at $csv (set PORTINFO_IANA_CSV)" >&2; exit 2; }
command -v ss >/dev/null || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q iproute2 >/dev/null; }
sockets=${BENCH_SOCKETS:-10000}
runs=7
port=18085

binary=$(scripts/release-binary.sh)
build_log=$(mktemp)
if ! swift build -c release --product ListenerBench >"$build_log" 2>&1; then
    cat "$build_log" >&2
    rm -f "$build_log"
    echo "bench-listeners: swift build -c release --product ListenerBench failed" >&2
    exit 1
fi
rm -f "$build_log"
bench="$(swift build -c release --show-bin-path)/ListenerBench"
work=$(mktemp -d)
holder_pid="" server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    [ -n "$holder_pid" ] && kill "$holder_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
"$binary" seed --csv "$csv" --db "$work/registry.db" >/dev/null

# The helper opens the sockets, says so, and holds them until it is killed.
mkfifo "$work/ready"
python3 - "$sockets" "$work/ready" <<'PY' &
import resource, socket, sys, time
count, ready = int(sys.argv[1]), sys.argv[2]
hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
held = []
for _ in range(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    held.append(s)
open(ready, "w").write("ready\n")
while True:
    time.sleep(3600)
PY
holder_pid=$!
read -r _ <"$work/ready"

"$binary" serve --db "$work/registry.db" --host 127.0.0.1 --port "$port" --report-local \
    --scan-max-age 0 --access-log off >/dev/null &
server_pid=$!
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.05; done


listed=$(curl -fs "http://127.0.0.1:$port/listeners" | grep -o '"port":' | wc -l)
listeners=() ss_times=() one_port=()
for _ in $(seq "$runs"); do
    listeners+=("$(microseconds curl -fs "http://127.0.0.1:$port/listeners")")
    ss_times+=("$(microseconds ss -tulpn)")
    one_port+=("$(microseconds curl -fs "http://127.0.0.1:$port/listeners?port=1")")
done
listeners_median=$(median "${listeners[@]}")
ss_median=$(median "${ss_times[@]}")
one_port_median=$(median "${one_port[@]}")
echo "listening sockets reported by GET /listeners: $listed ($sockets of them held by the helper)"
echo "GET /listeners: median $((listeners_median / 1000)) ms of $runs (${listeners[*]} µs)"
echo "ss -tulpn:      median $((ss_median / 1000)) ms of $runs (${ss_times[*]} µs)"
awk -v l="$listeners_median" -v s="$ss_median" 'BEGIN { printf "listeners/ss ratio: %.2f (target <= 0.5)\n", l / s }'
echo "where the time goes:"
echo "  GET /listeners?port=1 (a whole scan, an answer of none): median $((one_port_median / 1000)) ms of $runs (${one_port[*]} µs)"
"$bench" "$runs" | sed 's/^/  /'
