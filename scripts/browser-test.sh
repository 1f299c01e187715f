#!/usr/bin/env bash
# portinfo in a real browser: headless Chromium, driven over the DevTools protocol
# (scripts/browser/run.py), against the release `portinfo serve` on loopback.
#   widget  the wiki widget on a page of another origin under a strict CSP: cards for ports and a
#           service, messages for a bad port, an unknown name and a server that is down, one request
#           per question, elements added later, styles kept apart, no console errors
#   pages   the server's HTML: port pages 600, 6001, 65535, 21, the lookup page / and /?q=,
#           a bad lookup's error page, a trailing slash redirected, and curl still getting JSON
# Both show data that must be shown, never obeyed (scripts/browser/hostile_data.py): a site row
# with bidi controls and a NUL, and javascript: URLs in the known uses and everyday names.
# A PASS or FAIL line per check, the screenshots' paths, exit 1 when any check fails.
#   scripts/browser-test.sh [--parts widget,pages]   (both by default)
# Screenshots and chromium's log: $PORTINFO_BROWSER_ARTIFACTS, else .build/browser-artifacts.
# Installs chromium and python3-websocket with apt-get when missing (CI: root on Debian 12).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONDONTWRITEBYTECODE=1 DEBIAN_FRONTEND=noninteractive
parts=widget,pages
while (($#)); do
    case $1 in
        --parts)
            parts=${2:-}
            [[ $parts =~ ^(widget|pages)(,(widget|pages))*$ ]] ||
                { echo "browser-test: --parts takes widget, pages or widget,pages, got '$parts'" >&2; exit 64; }
            shift 2 ;;
        *) echo "usage: scripts/browser-test.sh [--parts widget,pages]" >&2; exit 64 ;;
    esac
done
artifacts=${PORTINFO_BROWSER_ARTIFACTS:-.build/browser-artifacts}
# Debian's interpreter: the one python3-websocket installs for (a PATH python3 may be another).
python=/usr/bin/python3

missing=()
for package in chromium python3-websocket fonts-dejavu-core curl; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    [[ $(id -u) == 0 ]] || { echo "browser-test: missing ${missing[*]}; install them (apt-get) or run as root" >&2; exit 2; }
    echo "browser-test: apt-get install ${missing[*]}"
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

binary=$(scripts/release-binary.sh)
work=$(mktemp -d)
server_pid=
cleanup() {
    if [[ -n $server_pid ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# The built-in snapshot, with the hostile data beside it.
"$binary" seed --db "$work/registry.db" >"$work/seed.log" 2>&1 || { cat "$work/seed.log" >&2; exit 1; }
"$python" scripts/browser/hostile_data.py "$work/registry.db" "$work/site.csv"
# Port 0: the server picks a free one and names it in its startup line.
"$binary" serve --host 127.0.0.1 --port 0 --db "$work/registry.db" --site-ports "$work/site.csv" >"$work/serve.log" 2>&1 &
server_pid=$!
port=
for _ in $(seq 300); do
    port=$(sed -n 's/.* listening on 127\.0\.0\.1 port \([0-9]*\).*/\1/p' "$work/serve.log")
    [[ -n $port ]] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if [[ -z $port ]]; then
    cat "$work/serve.log" >&2
    echo "browser-test: portinfo serve did not start within 30 s" >&2
    exit 1
fi
echo "browser-test: portinfo $("$binary" --version | head -1) on http://127.0.0.1:$port"

status=0
"$python" scripts/browser/run.py --server "http://127.0.0.1:$port" --parts "$parts" --artifacts "$artifacts" || status=$?
if ((status)); then
    echo "browser-test: FAILED (server log: last lines below)"
    tail -n 20 "$work/serve.log"
else
    echo "browser-test: every check passed"
fi
exit "$status"
