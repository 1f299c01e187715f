#!/usr/bin/env bash
# Seeding speed: `portinfo seed` of the full IANA snapshot (FTS index and verification included)
# against `sqlite3 DB ".import --csv FILE t"` of the same file, in the same run, median of 5 each,
# both into a new database file; prints the ratio (target <= 1.0). Then the median time of a port
# lookup through the Registry API (target < 20 µs), and of every other query the store runs at its
# dearest (the figures RegistryStore's cost model quotes; searches within a few tens of ms).
#   scripts/bench-seed.sh            (CSV: $PORTINFO_IANA_CSV, else the repository's iana/)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bench-lib.sh
csv=${PORTINFO_IANA_CSV:-$(echo iana/service-names-port-numbers-*.csv)}
[ -f "$csv" ] || { echo "bench-seed: no IANA CSV at $csv (set PORTINFO_IANA_CSV)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "bench-seed: needs the sqlite3 command (apt-get install sqlite3)" >&2; exit 2; }
runs=5

swift build -c release --product portinfo >/dev/null
swift build -c release --product RegistryBench >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT


seed=() import=()
for _ in $(seq "$runs"); do
    rm -f "$work/seed.db" "$work/import.db"
    seed+=("$(microseconds .build/release/portinfo seed --csv "$csv" --db "$work/seed.db")")
    import+=("$(microseconds sqlite3 "$work/import.db" ".import --csv $csv t")")
done
seed_median=$(median "${seed[@]}")
import_median=$(median "${import[@]}")
echo "portinfo seed:   median $((seed_median / 1000)) ms of $runs (${seed[*]} µs)"
echo "sqlite3 .import: median $((import_median / 1000)) ms of $runs (${import[*]} µs)"
awk -v s="$seed_median" -v i="$import_median" 'BEGIN { printf "seed/import ratio: %.2f (target <= 1.0)\n", s / i }'
.build/release/RegistryBench "$work/seed.db" 600
.build/release/RegistryBench "$work/seed.db" 6001
.build/release/RegistryBench "$work/seed.db" costs
