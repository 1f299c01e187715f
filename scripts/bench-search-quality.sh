#!/usr/bin/env bash
# Search quality: every query of Benchmarks/search-quality.tsv (a query as people type it and the
# port they mean) against the full registry, through RegistryStore.search; prints each query's
# first three results and success@3, the share of queries whose port is among them. A figure to
# compare before and after a ranking change, not a pass/fail goal.
#   scripts/bench-search-quality.sh [SUITE]   (CSV: $PORTINFO_IANA_CSV, else the repository's iana/)
set -euo pipefail
cd "$(dirname "$0")/.."
suite=${1:-Benchmarks/search-quality.tsv}
[ -f "$suite" ] || { echo "bench-search-quality: no suite at $suite" >&2; exit 2; }
csv=${PORTINFO_IANA_CSV:-$(echo iana/service-names-port-numbers-*.csv)}
[ -f "$csv" ] || { echo "bench-search-quality: no IANA CSV at $csv (set PORTINFO_IANA_CSV)" >&2; exit 2; }

binary=$(scripts/release-binary.sh)
swift build -c release --product RegistryBench >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$binary" seed --csv "$csv" --db "$work/registry.db" >/dev/null
"$(swift build -c release --show-bin-path)/RegistryBench" "$work/registry.db" quality "$suite"
