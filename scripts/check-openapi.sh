#!/usr/bin/env bash
# openapi.yaml against the real server: the spec must validate (openapi-spec-validator), and
# schemathesis, run against `portinfo serve --report-local` on loopback, must find every response documented
# and matching its schema, and no 5xx: every phase (the spec's examples, coverage of each parameter's
# edges, fuzzing, and stateful sequences that follow the spec's links), with valid and invalid data.
# Run by .ci/run; needs the IANA snapshot (skips without it).
#   scripts/check-openapi.sh      (tools go into .build-venv; $SCHEMATHESIS_MAX_EXAMPLES, default 100)
set -euo pipefail
cd "$(dirname "$0")/.."
csv=${PORTINFO_IANA_CSV:-$(echo iana/service-names-port-numbers-*.csv)}
venv=.build-venv
port=${OPENAPI_CHECK_PORT:-18090}
# Pinned: a new schemathesis brings new checks, which should arrive as a change of this line, not of CI's mood.
schemathesis_version=4.32.5
openapi_spec_validator_version=0.9.0

[ "$("$venv/bin/schemathesis" --version 2>/dev/null)" = "schemathesis, version $schemathesis_version" ] || {
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$schemathesis_version" \
        "openapi-spec-validator==$openapi_spec_validator_version"
}
"$venv/bin/openapi-spec-validator" openapi.yaml

if [ ! -f "$csv" ]; then
    echo "check-openapi: no IANA CSV at $csv: schemathesis skipped"
    exit 0
fi
swift build --product portinfo >/dev/null
work=$(mktemp -d)
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
# On loopback, --report-local needs neither token nor allow-list: only this host can ask.
.build/debug/portinfo serve --csv "$csv" --db "$work/registry.db" --host 127.0.0.1 --port "$port" --report-local \
    --access-log off >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 200); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" || { cat "$work/server.log"; exit 1; }

"$venv/bin/schemathesis" run openapi.yaml --url "http://127.0.0.1:$port" --checks all \
    --phases examples,coverage,fuzzing,stateful --mode all --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-100}"
kill -0 "$server_pid" || { echo "check-openapi: the server died"; cat "$work/server.log"; exit 1; }
