#!/usr/bin/env bash
# What carrying the IANA snapshot costs, and what it buys: a clean release build of this checkout
# against the same checkout with the snapshot cut to its header line (so only the embedding
# differs), the two binaries' sizes, and, on the real one, the time from `portinfo serve` with no
# database (it seeds the snapshot into --db) and from memory (no writable --db) to the first 200.
#   scripts/bench-snapshot.sh [RUNS]     RUNS of each start measurement (default 5)
# Not run in CI: two clean release builds take some minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-lib.sh
RUNS=${1:-5}
WORK=$(mktemp -d /tmp/portinfo-bench-snapshot.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

# The two trees: this checkout's files as committed or changed, and a copy whose snapshot is empty.
mkdir -p "$WORK/with"
git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$WORK/with"
cp -a "$WORK/with" "$WORK/without"
snapshot=$(ls "$WORK/without/iana/"*.csv)
head -1 "$snapshot" > "$snapshot.header" && mv "$snapshot.header" "$snapshot"

build() { # build TREE: a clean release build of the portinfo product; prints its seconds
    local start
    start=$(date +%s%N)
    (cd "$1" && swift build -c release --product portinfo --scratch-path .build-bench >/dev/null 2>&1)
    echo "scale=1; ($(date +%s%N) - $start) / 1000000000" | bc
}
echo "clean release builds (each from nothing; packages from the local copies):"
without_s=$(build "$WORK/without")
with_s=$(build "$WORK/with")
binary="$WORK/with/.build-bench/release/portinfo"
without_size=$(stat -c %s "$WORK/without/.build-bench/release/portinfo")
with_size=$(stat -c %s "$binary")
printf '  without the snapshot  %6.1f s  %9d bytes\n' "$without_s" "$without_size"
printf '  with the snapshot     %6.1f s  %9d bytes\n' "$with_s" "$with_size"
printf '  cost                  %+6.1f s  %+9d bytes (the CSV is %d bytes)\n' \
    "$(echo "$with_s - $without_s" | bc)" "$((with_size - without_size))" "$(stat -c %s "$(ls iana/*.csv)")"

# first_200 DB: ms from starting `portinfo serve --db DB` to the first 200 of /ports/600.
first_200() {
    local port=$((20000 + RANDOM % 20000)) start end
    start=$(date +%s%N)
    "$binary" serve --host 127.0.0.1 --port "$port" --db "$1" --access-log off >/dev/null 2>&1 &
    local pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$port/ports/600"; do sleep 0.002; done
    end=$(date +%s%N)
    kill -TERM "$pid"; wait "$pid" || true
    echo $(((end - start) / 1000000))
}
seeding=() memory=() seeded=()
for _ in $(seq "$RUNS"); do
    rm -f "$WORK/registry.db"
    seeding+=("$(first_200 "$WORK/registry.db")")
    seeded+=("$(first_200 "$WORK/registry.db")")
    memory+=("$(first_200 /proc/portinfo-bench/registry.db)")
done
echo "serve to the first 200 of /ports/600, median of $RUNS (ms):"
echo "  no database: seeds the snapshot into --db  $(median "${seeding[@]}")   (${seeding[*]})"
echo "  no writable --db: from memory              $(median "${memory[@]}")   (${memory[*]})"
echo "  the database seeded (baseline)             $(median "${seeded[@]}")   (${seeded[*]})"
echo "  ratio seeding / seeded: $(echo "scale=2; $(median "${seeding[@]}") / $(median "${seeded[@]}")" | bc)"
