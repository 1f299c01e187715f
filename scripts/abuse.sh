#!/usr/bin/env bash
# What hostile clients cost `portinfo serve` (release build), each check on a server of its own on
# loopback, against goals: a PASS or FAIL line per goal, and exit 1 when any fails.
#  worst-search           two clients looping the costliest accepted and over-cap searches, then one
#                         pipelining 600 searches: /healthz and /ports/600 p99 < 10 ms meanwhile
#  non-reading            30 clients pipelining 2,000 GET /openapi.yaml, never reading: RSS growth
#                         < 64 MB, each closed at a short --write-timeout
#  descriptor-exhaustion  hard descriptor limit 64, 100 connections held: < 10% CPU and <= 20 log
#                         lines over 5 s, serving again by itself once they are released
#  slow-loris             500 connections sending a header byte a second: p99 < 10 ms meanwhile, all
#                         answered 408 and closed at a short --header-timeout
#  many-connections       10,000 connections at once: each answered 200 and held or refused 503 and
#                         closed, none reset, none hung; normal answers afterwards
#   scripts/abuse.sh [--ci] [CHECK...]   (every check by default; --ci: smaller sizes and shorter
#                                         phases, about 2 minutes in all; CSV: $PORTINFO_IANA_CSV,
#                                         else the repository's iana/)
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ beside the helpers
every_check=(worst-search non-reading descriptor-exhaustion slow-loris many-connections)
size=() checks=()
for argument; do
    case $argument in
        --ci) size=(--ci) ;;
        worst-search | non-reading | descriptor-exhaustion | slow-loris | many-connections) checks+=("$argument") ;;
        *) echo "usage: scripts/abuse.sh [--ci] [${every_check[*]}]" >&2; exit 64 ;;
    esac
done
((${#checks[@]})) || checks=("${every_check[@]}")
csv=${PORTINFO_IANA_CSV:-$(echo iana/service-names-port-numbers-*.csv)}
[ -f "$csv" ] || { echo "abuse: no IANA CSV at $csv (set PORTINFO_IANA_CSV)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "abuse: needs python3" >&2; exit 2; }

binary=$(scripts/release-binary.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$binary" seed --csv "$csv" --db "$work/registry.db" >/dev/null

failed=()
for check in "${checks[@]}"; do
    python3 "scripts/abuse/${check//-/_}.py" --binary "$binary" --db "$work/registry.db" "${size[@]}" ||
        failed+=("$check")
    echo
done
if ((${#failed[@]})); then
    echo "abuse: goals failed in ${failed[*]}"
    exit 1
fi
echo "abuse: every goal met"
