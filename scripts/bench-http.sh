#!/usr/bin/env bash
# HTTP speed of `portinfo serve`, against nginx in the same run, on loopback:
#  - wrk (keep-alive, 50 and 1,000 connections, 10 s each) on GET /ports/600, and on nginx (one
#    worker) serving a file with the same bytes and similar headers: req/s, p50 and p99 of each,
#    and the ratios (targets: >= 1.0x nginx's throughput, p99 <= 1.2x nginx's);
#  - open loop at a fixed rate (BENCH_RATE, default 5,000 req/s; target p99 < 1 ms) and the spread
#    of requests per connection in a closed-loop run (fairness), with Benchmarks/LoadGenerator;
#  - req/s of GET /search?q=sql;
#  - resident memory after those requests, and with 1,000 idle keep-alive connections (target < 30 MB);
#  - time from process start to the first 200 with a seeded database (target < 50 ms).
# On a machine with two or more processors, the servers run on the last one and the load
# generators on the others (taskset): each server has a processor of its own, as on its own box,
# rather than taking turns with its clients, whose share of the processors would set the tail.
# nginx runs one worker; portinfo sizes its I/O threads by the processors it may use (one).
# BENCH_PIN=0 lets servers and load generators share every processor instead.
# With a baseline binary (one built from an earlier revision, say), the wrk runs are made on it
# too, in the same run, each right after this build's, with the ratios this/baseline: a change
# that should not move the speed shows ratios near 1.0 (within the runs' noise).
#   scripts/bench-http.sh [--baseline BINARY]   (CSV: $PORTINFO_IANA_CSV, else the repository's
#                                                iana/; installs wrk and nginx if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-lib.sh
baseline_option bench-http "$@"
csv=${PORTINFO_IANA_CSV:-$(echo iana/service-names-port-numbers-*.csv)}
[ -f "$csv" ] || { echo "bench-http: no IANA CSV at $csv (set PORTINFO_IANA_CSV)" >&2; exit 2; }
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk nginx-light >/dev/null
fi
duration=${BENCH_DURATION:-10s}
processors=$(nproc)
if [ "${BENCH_PIN:-1}" = 0 ]; then
    server_cpus=0-$((processors - 1)) client_cpus=0-$((processors - 1)) client_threads=$processors
elif [ "$processors" -ge 2 ]; then
    server_cpus=$((processors - 1)) client_cpus=0-$((processors - 2)) client_threads=$((processors - 1))
else
    server_cpus=0 client_cpus=0 client_threads=1
fi
# Prefixes, not functions: a function run in the background would leave $! naming a subshell.
on_server=(taskset --cpu-list "$server_cpus")
on_client=(taskset --cpu-list "$client_cpus")
echo "servers on processors $server_cpus, load generators on $client_cpus ($client_threads threads)"
portinfo_port=18080
nginx_port=18081
baseline_port=18082

binary=$(scripts/release-binary.sh)
work=$(mktemp -d)
server_pid="" nginx_pid="" baseline_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
    [ -n "$baseline_pid" ] && kill "$baseline_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
"$binary" seed --csv "$csv" --db "$work/registry.db" >/dev/null

# Time from start to first 200: poll as fast as a socket allows.
start_time_ms() {
    python3 - "$binary" "$work/registry.db" "$portinfo_port" <<'EOF'
import socket, subprocess, sys, time
binary, db, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
started = time.perf_counter()
process = subprocess.Popen([binary, "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port), "--access-log", "off"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /ports/600 HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    break
        except OSError:
            time.sleep(0.0005)
    print(f"{(time.perf_counter() - started) * 1000:.1f}")
finally:
    process.terminate()
    process.wait()
EOF
}
starts=()
for _ in 1 2 3 4 5; do starts+=("$(start_time_ms)"); done
start_median=$(median "${starts[@]}")

# One client address opens all 1,000 connections: lift the per-client cap (256 by default).
"${on_server[@]}" "$binary" serve --db "$work/registry.db" --host 127.0.0.1 --port "$portinfo_port" --access-log off --max-connections-per-client 4096 >"$work/portinfo.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$portinfo_port/healthz" && break; sleep 0.05; done
echo "portinfo: $(grep -o 'with [0-9]* I/O threads*' "$work/portinfo.log")"
if [ -n "$baseline" ]; then
    "$baseline" seed --csv "$csv" --db "$work/baseline.db" >/dev/null
    "${on_server[@]}" "$baseline" serve --db "$work/baseline.db" --host 127.0.0.1 --port "$baseline_port" --access-log off \
        --max-connections-per-client 4096 >"$work/baseline.log" 2>&1 &
    baseline_pid=$!
    for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$baseline_port/healthz" && break; sleep 0.05; done
    curl -fs -o /dev/null "http://127.0.0.1:$baseline_port/ports/600" || { echo "bench-http: the baseline does not serve" >&2; exit 1; }
    echo "baseline: $baseline"
fi

# nginx, one worker, serving the same body as a file, with headers like portinfo's.
mkdir -p "$work/nginx/ports"
chmod 755 "$work" "$work/nginx" "$work/nginx/ports" # nginx's worker runs as www-data
curl -fs "http://127.0.0.1:$portinfo_port/ports/600" >"$work/nginx/ports/600"
chmod 644 "$work/nginx/ports/600"
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 10000; # portinfo's default --max-requests-per-connection: both end connections alike
    server {
        listen 127.0.0.1:$nginx_port;
        root $work/nginx;
        default_type application/json;
        add_header Cache-Control "public, max-age=3600";
        add_header Access-Control-Allow-Origin "*";
    }
}
EOF
"${on_server[@]}" nginx -c "$work/nginx.conf" &
nginx_pid=$!
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$nginx_port/ports/600" && break; sleep 0.05; done
curl -fs -o /dev/null "http://127.0.0.1:$nginx_port/ports/600" || { echo "bench-http: nginx does not serve the file" >&2; exit 1; }
echo "response headers, portinfo then nginx:"
curl -sI "http://127.0.0.1:$portinfo_port/ports/600" | sed 's/^/  /'
curl -sI "http://127.0.0.1:$nginx_port/ports/600" | sed 's/^/  /'

# wrk's summary -> "requests_per_second p50_ms p99_ms"
measure() { # measure URL CONNECTIONS
    "${on_client[@]}" wrk -t"$client_threads" -c"$2" -d"$duration" --latency "$1" | awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) } $1 == "Requests/sec:" { rps = $2 }
        END { printf "%.0f %.3f %.3f\n", rps, p50, p99 }'
}
# The load generator (Benchmarks/LoadGenerator, built with the release binary): open loop at a
# fixed rate, and per-connection counts. load PORT ARGS... -> its key=value lines.
loadgen=$(dirname "$binary")/LoadGenerator
[ -x "$loadgen" ] || (swift build -c release --product LoadGenerator >/dev/null)
load() { local port=$1; shift; "${on_client[@]}" "$loadgen" --port "$port" --duration "${duration%s}" --threads "$client_threads" "$@"; }
value() { sed -n "s/.*[ ^]$1=\([0-9.]*\).*/\1/p" | head -1; }

printf '%-38s %10s %9s %9s\n' "" "req/s" "p50 ms" "p99 ms"
declare -A rps p99
for c in 50 1000; do
    read -r nrps np50 np99 < <(measure "http://127.0.0.1:$nginx_port/ports/600" "$c")
    read -r prps pp50 pp99 < <(measure "http://127.0.0.1:$portinfo_port/ports/600" "$c")
    printf '%-38s %10s %9s %9s\n' "nginx (1 worker) /ports/600, $c conns" "$nrps" "$np50" "$np99"
    printf '%-38s %10s %9s %9s\n' "portinfo /ports/600, $c conns" "$prps" "$pp50" "$pp99"
    awk -v p="$prps" -v n="$nrps" -v pp="$pp99" -v np="$np99" -v c="$c" 'BEGIN {
        printf "  %d connections: throughput %.2fx nginx (target >= 1.0), p99 %.2fx nginx'\''s (target <= 1.2)\n", c, p / n, pp / np }'
    if [ -n "$baseline" ]; then
        read -r brps bp50 bp99 < <(measure "http://127.0.0.1:$baseline_port/ports/600" "$c")
        printf '%-38s %10s %9s %9s\n' "baseline /ports/600, $c conns" "$brps" "$bp50" "$bp99"
        awk -v p="$prps" -v b="$brps" -v pp="$pp99" -v bp="$bp99" -v c="$c" 'BEGIN {
            printf "  %d connections: this build %.2fx the baseline'\''s throughput, p99 %.2fx its p99\n", c, p / b, pp / bp }'
    fi
done
read -r search_rps _ _ < <(measure "http://127.0.0.1:$portinfo_port/search?q=sql" 50)
printf '%-38s %10s\n' "portinfo /search?q=sql, 50 conns" "$search_rps"
if [ -n "$baseline" ]; then
    read -r baseline_search_rps _ _ < <(measure "http://127.0.0.1:$baseline_port/search?q=sql" 50)
    awk -v p="$search_rps" -v b="$baseline_search_rps" 'BEGIN { printf "%-38s %10d  (this build %.2fx)\n", "baseline /search?q=sql, 50 conns", b, p / b }'
fi
rss_after_load=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")

# Open loop at a fixed moderate rate: latency from when each request was due.
rate=${BENCH_RATE:-5000}
for target in "nginx $nginx_port" "portinfo $portinfo_port"; do
    set -- $target
    out=$(load "$2" --rate "$rate" --connections 50 | grep '^latency_ms')
    echo "$1 open loop at $rate req/s, 50 conns: p50 $(echo "$out" | value p50) ms, p99 $(echo "$out" | value p99) ms," \
        "p99.9 $(echo "$out" | value p999) ms$( [ "$1" = portinfo ] && echo " (target: p99 < 1 ms)")"
done
# Fairness: closed loop, how evenly the connections were served (requests per connection).
for target in "nginx $nginx_port" "portinfo $portinfo_port"; do
    set -- $target
    out=$(load "$2" --connections 50)
    per=$(echo "$out" | grep '^per_connection') totals=$(echo "$out" | grep '^requests=')
    min=$(echo "$per" | value min) med=$(echo "$per" | value median) max=$(echo "$per" | value max)
    awk -v n="$1" -v a="$min" -v m="$med" -v b="$max" -v r="$(echo "$totals" | value rate)" -v c="$(echo "$totals" | value reconnects)" 'BEGIN {
        printf "%s fairness, 50 conns closed loop: %d req/s; requests per connection min %d, median %d, max %d (min/max %.2f); %d reconnects after Connection: close\n", n, r, a, m, b, a / b, c }'
done

# 1,000 idle keep-alive connections, each having made one request.
rss_idle=$(python3 - "$portinfo_port" "$server_pid" <<'PY'
import socket, sys
port, pid = int(sys.argv[1]), sys.argv[2]
sockets = []
for _ in range(1000):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /ports/600 HTTP/1.1\r\nHost: bench\r\n\r\n")
    s.recv(65536)
    sockets.append(s)
print(next(line.split()[1] for line in open(f"/proc/{pid}/status") if line.startswith("VmRSS")))
for s in sockets:
    s.close()
PY
)
echo "resident memory after the load above: $((rss_after_load / 1024)) MB; with 1,000 idle keep-alive connections: $((rss_idle / 1024)) MB (target < 30 MB)"
echo "start to first 200: median ${start_median} ms of 5 (${starts[*]}) (target < 50 ms)"
