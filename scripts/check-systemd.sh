#!/usr/bin/env bash
# Checks deploy/systemd, with a PASS or FAIL line per check; exits 1 when any fails.
#  1. The units as installed: the release binary, the update script and the three units go into a
#     temporary root beside a copy of this system's own units, where `systemd-analyze verify` must
#     print nothing and exit 0 (a spoiled copy of each kind must make it complain, or the check
#     could not fail); `systemd-analyze security --offline` must rate each service's exposure
#     under $EXPOSURE_LIMIT; both services must share the user, state directory and database.
#  2. What the units run, outside systemd (no systemd as PID 1 is needed): `portinfo serve` as
#     portinfo.service starts it, on a state directory with no database yet, and the update
#     script (portinfo-update.service's ExecStart) with a file:// URL to an edited copy of
#     iana/'s snapshot: the server seeds the built-in snapshot; the update seeds the copy and the
#     running server serves it within seconds; a second update is "unchanged"; a CSV that seed
#     refuses and a URL that cannot be fetched exit non-zero and leave the database as it was.
#   scripts/check-systemd.sh   (installs systemd and curl when missing, which needs root)
set -euo pipefail
cd "$(dirname "$0")/.."
units=(portinfo.service portinfo-update.service portinfo-update.timer)
snapshot=(iana/service-names-port-numbers-*.csv)
EXPOSURE_LIMIT=2.0   # systemd-analyze's 0 (locked down) to 10 (exposed) scale; "OK" is below 5

missing=()
command -v systemd-analyze >/dev/null || missing+=(systemd)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
binary=$(scripts/release-binary.sh)

work=$(mktemp -d)
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

failures=0
pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; failures=$((failures + 1)); }

# ---- 1. the units ------------------------------------------------------------------------------
root=$work/root
unit_dir=$root/etc/systemd/system
# What verify looks up beside the units: the targets they name, and the commands they run.
mkdir -p "$root/usr/lib/systemd" "$root/usr/bin"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
ln -s usr/bin "$root/bin"
cp -L /bin/sh "$root/usr/bin/sh"   # ExecReload
# As deploy/systemd/README.md installs them.
install -D -m 0755 "$binary" "$root/usr/local/bin/portinfo"
install -D -m 0755 deploy/systemd/portinfo-update "$root/usr/local/libexec/portinfo/portinfo-update"
for unit in "${units[@]}"; do install -D -m 0644 "deploy/systemd/$unit" "$unit_dir/$unit"; done

# verify UNIT_FILE...: systemd-analyze verify's complaints (none: empty), and "exit N" when it fails.
verify() {
    local out rc=0
    out=$(systemd-analyze verify --root="$root" "$@" 2>&1) || rc=$?
    echo -n "$out"
    ((rc == 0)) || echo " exit $rc"
}
out=$(verify "${units[@]/#/$unit_dir/}")
if [ -z "$out" ]; then pass "systemd-analyze verify ${units[*]}: nothing to say, exit 0"
else fail "systemd-analyze verify ${units[*]}:"; echo "$out" | sed 's/^/      | /'; fi

# Spoiled copies: a misspelt directive, a value systemd cannot parse, a command not installed.
spoil() { sed "$2" "$unit_dir/portinfo.service" > "$unit_dir/$1.service"; verify "$unit_dir/$1.service"; rm "$unit_dir/$1.service"; }
for spoilt in "misspelt-key s/^ProtectSystem=/ProtectSytem=/" "bad-value s/^ProtectSystem=strict/ProtectSystem=strictly/" \
              "missing-binary s|/usr/local/bin/portinfo|/usr/local/bin/portinfo-missing|"; do
    name=${spoilt%% *}
    out=$(spoil "$name" "${spoilt#* }")
    if [ -n "$out" ]; then pass "systemd-analyze verify complains of a copy with a $name: ${out//$'\n'/ }"
    else fail "systemd-analyze verify found nothing wrong with a copy with a $name: the check above cannot fail"; fi
done

for unit in portinfo.service portinfo-update.service; do
    rc=0
    out=$(systemd-analyze security --offline=yes --root="$root" --threshold="${EXPOSURE_LIMIT/./}" "$unit_dir/$unit" 2>&1) || rc=$?
    level=$(echo "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
    if ((rc == 0)) && [ -n "$level" ]; then pass "systemd-analyze security $unit: exposure $level (limit $EXPOSURE_LIMIT)"
    else fail "systemd-analyze security $unit: exposure ${level:-unknown} (limit $EXPOSURE_LIMIT), exit $rc"; echo "$out" | grep '✗' | sed 's/^/      | /'; fi
done

# The update must write the very database the server reads, as the user that owns it.
for setting in User= StateDirectory= Environment=PORTINFO_DB=; do
    server=$(grep "^$setting" "$unit_dir/portinfo.service" || true)
    update=$(grep "^$setting" "$unit_dir/portinfo-update.service" || true)
    if [ -n "$server" ] && [ "$server" = "$update" ]; then pass "both services set $server"
    else fail "the services differ in $setting: '$server' and '$update'"; fi
done

# ---- 2. what the units run -----------------------------------------------------------------------
state=$work/state db=$work/state/registry.db
mkdir -p "$state" "$work/tmp" "$work/bin"
ln -s "$binary" "$work/bin/portinfo"   # the update script runs `portinfo` from PATH, as in the unit
csv=$work/edited.csv
sed 's/^\(ipcserver,600,tcp,\)Sun IPC server,/\1Sun IPC server (edited by check-systemd),/' "${snapshot[0]}" > "$csv"
cmp -s "$csv" "${snapshot[0]}" && { echo "FAIL  could not edit port 600 in ${snapshot[0]}"; exit 1; }
edited_sha=$(sha256sum "$csv" | cut -d' ' -f1)

# update URL: portinfo-update as portinfo-update.service runs it (its temporary files in $work/tmp).
update() {
    env -i PATH="$work/bin:/usr/bin:/bin" TMPDIR="$work/tmp" PORTINFO_DB="$db" PORTINFO_IANA_URL="$1" \
        deploy/systemd/portinfo-update 2>&1
}
registry() { curl -sf -m 5 "http://127.0.0.1:$port/registry" || true; }
db_sum() { sha256sum "$db" | cut -d' ' -f1; }
leftovers() { (cd "$work" && ls -A tmp; ls -A state | grep -v '^registry\.db$' || true) | tr '\n' ' '; }

# portinfo.service's ExecStart, its environment (PORTINFO_DB) and a state directory systemd made.
env -i PORTINFO_DB="$db" PORTINFO_HOST=127.0.0.1 PORTINFO_PORT=0 PORTINFO_ACCESS_LOG=off \
    "$binary" serve >"$work/serve.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 100); do
    port=$(sed -n 's/.* listening on 127\.0\.0\.1 port \([0-9]*\) .*/\1/p' "$work/serve.log")
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$port" ]; then
    fail "portinfo serve did not start:"; sed 's/^/      | /' "$work/serve.log"; exit 1
fi
out=$(registry)
if [[ -f $db && $out == *'"source":"IANA snapshot '*', built into portinfo"'* ]]; then
    pass "first start: portinfo serve seeded the built-in snapshot into the empty state directory and serves it"
else fail "first start: no database at $db, or /registry does not name the built-in snapshot: ${out:0:200}"; fi

url=file://$csv
out=$(update "$url") && rc=0 || rc=$?
if ((rc == 0)) && [[ $out == "seeded $db: "*"1 changed"* ]]; then pass "update from $url: ${out:0:120}..."
else fail "update from $url (exit $rc): $out"; fi
served=""
for _ in $(seq 50); do
    served=$(registry)
    [[ $served == *"\"sha256\":\"$edited_sha\""* ]] && break
    sleep 0.1
done
if [[ $served == *"\"sha256\":\"$edited_sha\""* && $served == *"\"source\":\"$url\""* ]] &&
   [[ $(curl -sf -m 5 "http://127.0.0.1:$port/ports/600") == *"edited by check-systemd"* ]]; then
    pass "the running server serves the updated database (sha256 ${edited_sha:0:12}..., source $url), not restarted"
else fail "the running server does not serve the updated database: ${served:0:200}"; fi

before=$(db_sum)
out=$(update "$url") && rc=0 || rc=$?
if ((rc == 0)) && [[ $out == "$db is unchanged: already seeded from this CSV (sha256 $edited_sha)"* ]] && [ "$(db_sum)" = "$before" ]; then
    pass "update again: $out"
else fail "update again (exit $rc) should leave the database unchanged: $out"; fi

# A download that is not the registry (an error page) and one cut off in the middle of a line.
printf '<html><body>503 Service Unavailable</body></html>\n' > "$work/error-page.csv"
head -c 100000 "$csv" > "$work/cut-off.csv"
for bad in error-page cut-off; do
    out=$(update "file://$work/$bad.csv") && rc=0 || rc=$?
    if ((rc != 0)) && [ "$(db_sum)" = "$before" ] && [[ $(registry) == *"\"sha256\":\"$edited_sha\""* ]]; then
        pass "update from $bad.csv: exit $rc, database and server as they were (${out//$'\n'/ })"
    else fail "update from $bad.csv: exit $rc, database $( [ "$(db_sum)" = "$before" ] && echo kept || echo changed): $out"; fi
done
out=$(update "file://$work/no-such.csv") && rc=0 || rc=$?
if ((rc != 0)) && [ "$(db_sum)" = "$before" ]; then pass "update from a URL that cannot be fetched: exit $rc, database kept (${out//$'\n'/ })"
else fail "update from a URL that cannot be fetched: exit $rc: $out"; fi
out=$(env -i PATH="$work/bin:/usr/bin:/bin" deploy/systemd/portinfo-update 2>&1) && rc=0 || rc=$?
if ((rc != 0)) && [[ $out == *PORTINFO_DB* ]]; then pass "update without PORTINFO_DB: exit $rc ($out)"
else fail "update without PORTINFO_DB should refuse to guess a database: exit $rc: $out"; fi

left=$(leftovers)
if [ -z "$left" ]; then pass "no temporary files left in the state directory or TMPDIR"
else fail "temporary files left: $left"; fi

if ((failures)); then
    echo "check-systemd: $failures check(s) failed"
    exit 1
fi
echo "check-systemd: every check passed"
