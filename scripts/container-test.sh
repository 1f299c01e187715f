#!/usr/bin/env bash
# Build the Dockerfile with podman (no Docker engine, no registry) and prove the image works:
# built offline with no build argument, it serves the registry snapshot built into the binary, from
# a read-only root filesystem with no capabilities, as a non-root user, healthy by its own
# HEALTHCHECK, no compiler inside, stopped cleanly by SIGTERM, under the size target. Then build it
# with --build-arg IANA_CSV=FILE (an edited copy of the snapshot staged in the context) and require
# that the binary's build came from the cache and that the image serves that file. Then build the
# same Dockerfile without libsqlite3-0 in the runtime stage and require that it FAILS the checks,
# which shows the checks can fail. Run as root on Debian 12 (CI: a fresh machine).
#
# Base images are local stand-ins, cached in the storage below between runs:
#   docker.io/library/debian:bookworm-slim   debootstrap minbase, slimmed like the real one
#   docker.io/library/swift:6.3-bookworm     that plus the toolchain's build dependencies; the
#       toolchain itself (/opt/swift), the Swift package copies (/opt/swift-packages) and the git
#       configuration that maps https://github.com/ to them (/etc/gitconfig) are mounted read-only
#       into the build's RUN steps, so the Dockerfile's own `swift build` resolves packages offline.
#
# Environment: PORTINFO_CONTAINER_DIR (storage, default /var/tmp/portinfo-containers),
# PORTINFO_CONTAINER_PORT (host port, default: the first free one from 18080).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
T0=$EPOCHREALTIME
W=${PORTINFO_CONTAINER_DIR:-/var/tmp/portinfo-containers}
SNAPSHOT=$(echo "$ROOT"/iana/service-names-port-numbers-*.csv)   # the one the binary carries
STAGED_CSV=.build-container/service-names-port-numbers.csv   # inside the build context (a snapshot under $W)
TAG=localhost/portinfo:container-test
CSV_TAG=localhost/portinfo:container-test-csv
SEED_TAG=localhost/portinfo-seed:container-test
BROKEN_TAG=localhost/portinfo:container-test-no-sqlite
SIZE_LIMIT_MB=120
FIRST_200_LIMIT_S=30
STOP_LIMIT_S=10
export DEBIAN_FRONTEND=noninteractive

elapsed() { awk -v a="$1" -v b="${2:-$EPOCHREALTIME}" 'BEGIN { printf "%.1f", b - a }'; }
step() { echo; echo "== $* [$(elapsed "$T0")s]"; }
die() { echo "container-test: FAILED: $*" >&2; exit 1; }
# t LABEL CMD...: run CMD, print how long it took (on fd 3, the script's stdout, even when CMD's is redirected)
exec 3>&1
t() {
    local label=$1 s=$EPOCHREALTIME rc=0; shift
    "$@" || rc=$?   # (set -e does not act inside a function called before ||)
    echo "   [$(elapsed "$s")s] $label$( ((rc == 0)) || echo " FAILED ($rc)")" >&3
    return "$rc"
}

[[ $(id -u) == 0 ]] || die "run as root (podman storage under $W, apt-get, debootstrap)"
[[ -r $SNAPSHOT ]] || die "no built-in snapshot at $SNAPSHOT"
SNAPSHOT_DATE=${SNAPSHOT%.csv}; SNAPSHOT_DATE=${SNAPSHOT_DATE: -7}   # service-names-port-numbers-YYYY-MM.csv
SNAPSHOT_SHA=$(sha256sum "$SNAPSHOT" | cut -d' ' -f1)

# ---- 1. tools and podman configuration -----------------------------------------------------------
step "tools"
missing=()
for tool in podman buildah runc debootstrap curl; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
    t "apt-get install ${missing[*]}" bash -c \
        "apt-get update -q >/dev/null && apt-get install -y -q ${missing[*]} >/dev/null"
fi
podman --version

mkdir -p "$W"/{cfg,tmp,run,podman-tmp}
exec 9>"$W/lock"
flock -w 1800 9 || die "another container-test holds $W/lock"
# runroot and tmp_dir hold per-boot state (mounts, locks, "alive"): start them afresh after a reboot.
boot_id=$(cat /proc/sys/kernel/random/boot_id)
if [[ $(cat "$W/boot_id" 2>/dev/null) != "$boot_id" ]]; then
    rm -rf "$W/run" "$W/podman-tmp"; mkdir -p "$W/run" "$W/podman-tmp"; echo "$boot_id" > "$W/boot_id"
fi
# runc (crun 1.8 rejects this hybrid cgroup v1/v2 host), cgroupfs, explicit ulimits (no
# CAP_SYS_RESOURCE, so podman's default nofile=1048576 fails), overlay storage under $W.
cat > "$W/cfg/storage.conf" <<EOC
[storage]
driver = "overlay"
runroot = "$W/run"
graphroot = "$W/storage"
EOC
cat > "$W/cfg/containers.conf" <<EOC
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = "$W/podman-tmp"
EOC
export CONTAINERS_STORAGE_CONF="$W/cfg/storage.conf" CONTAINERS_CONF="$W/cfg/containers.conf" TMPDIR="$W/tmp"

# Without systemd, podman cannot set up the HEALTHCHECK's timer and says so on every run/stop/rm of
# such a container; the checks run the healthcheck by hand, so that noise is dropped here.
# (A file, not a pipe: `podman run -d` leaves conmon holding its stderr open.)
podman_q() {
    local rc=0
    podman "$@" 2>"$W/podman.err" || rc=$?
    grep -v 'systemd connection' "$W/podman.err" >&2 || true
    return "$rc"
}

CONTAINERS=()
cleanup() {
    local c
    for c in "${CONTAINERS[@]}"; do podman rm -f -t 0 "$c" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- 2. stand-ins for the base images ------------------------------------------------------------
step "base images"
if podman image exists docker.io/library/debian:bookworm-slim; then
    echo "   docker.io/library/debian:bookworm-slim: cached"
else
    mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    mirror=${mirror:-http://deb.debian.org/debian}
    R="$W/rootfs"; rm -rf "$R"
    t "debootstrap --variant=minbase bookworm ($mirror)" \
        debootstrap --variant=minbase bookworm "$R" "$mirror" >"$W/debootstrap.log" 2>&1 \
        || { tail -20 "$W/debootstrap.log"; die "debootstrap failed (log: $W/debootstrap.log)"; }
    rm -rf "$R"/var/cache/apt/archives/*.deb "$R"/var/cache/apt/*.bin "$R"/var/lib/apt/lists/* \
        "$R"/var/log/*.log "$R"/var/log/apt/*
    mkdir -p "$R/var/lib/apt/lists/partial"
    printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
        'path-exclude /usr/share/groff/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/linda/*' \
        'path-exclude /usr/share/lintian/overrides/*' 'path-exclude /usr/share/locale/*' \
        'path-exclude /usr/share/man/*' > "$R/etc/dpkg/dpkg.cfg.d/docker"
    echo 'APT::Install-Recommends "false";' > "$R/etc/apt/apt.conf.d/docker-norecommends"
    find "$R/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete
    find "$R/usr/share/doc" -mindepth 1 -type d -empty -delete
    rm -rf "$R"/usr/share/{locale,man,info,groff}/*; : > "$R/etc/hostname"; rm -f "$R/etc/resolv.conf"
    tar --numeric-owner -C "$R" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
        -cf "$W/bookworm-slim.tar" .
    t "import debian:bookworm-slim" podman import --change 'CMD ["bash"]' "$W/bookworm-slim.tar" \
        docker.io/library/debian:bookworm-slim >/dev/null
    rm -rf "$R" "$W/bookworm-slim.tar"
fi

if podman image exists docker.io/library/swift:6.3-bookworm; then
    echo "   docker.io/library/swift:6.3-bookworm: cached"
else
    [[ -x /opt/swift/usr/bin/swift ]] || die "no Swift toolchain at /opt/swift to mount into the builder"
    B="$W/ctx-builder"; rm -rf "$B"; mkdir -p "$B"
    # The official image's build dependencies; the toolchain is mounted at build time, not copied.
    cat > "$B/Dockerfile" <<'EOD'
FROM docker.io/library/debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      binutils libc6-dev libgcc-12-dev libstdc++-12-dev libsqlite3-dev \
      libcurl4 libxml2 libedit2 libncurses6 libz3-4 zlib1g-dev pkg-config tzdata ca-certificates git \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /opt/swift /opt/swift-packages
ENV PATH=/opt/swift/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
EOD
    t "build swift:6.3-bookworm stand-in" podman build -q --pull=never --format docker --network host \
        -t docker.io/library/swift:6.3-bookworm "$B" >"$W/builder-image.log" 2>&1 \
        || { tail -20 "$W/builder-image.log"; die "could not build the swift:6.3-bookworm stand-in"; }
    rm -rf "$B"
fi

MOUNTS=(-v /opt/swift:/opt/swift:ro)
[[ -d /opt/swift-packages ]] && MOUNTS+=(-v /opt/swift-packages:/opt/swift-packages:ro)
[[ -f /etc/gitconfig ]] && MOUNTS+=(-v /etc/gitconfig:/etc/gitconfig:ro)
# Fail early and clearly when the offline package mirror cannot be read inside a container.
if [[ -d /opt/swift-packages ]]; then
    podman run --rm --network none "${MOUNTS[@]}" docker.io/library/swift:6.3-bookworm \
        sh -c 'swift --version >/dev/null 2>&1 && git ls-remote https://github.com/apple/swift-log HEAD' >/dev/null \
        || die "inside the builder, swift or git cannot read the mounted /opt/swift, /opt/swift-packages and /etc/gitconfig"
    echo "   builder sees the toolchain and reads https://github.com/apple/swift-log from /opt/swift-packages"
fi

# ---- 3. build the image --------------------------------------------------------------------------
step "build"
# One snapshot of the working tree is the context of all three builds, so they see the same sources
# even while files are being edited (and their shared layers come from the cache). It gets the
# CSV staged for the IANA_CSV build (in every build's context, so the builder stage is the same),
# and litter that .dockerignore must keep out (checked below).
CTX="$W/context"; rm -rf "$CTX"; mkdir -p "$CTX"
tar -C "$ROOT" --exclude=./.build --exclude='./.build-*' --exclude='./.build_*' --exclude=./.git \
    --exclude=./.hypothesis --exclude=./.schemathesis -cf - . | tar -C "$CTX" -xf -
mkdir -p "$CTX/.build-container" "$CTX"/{.git,.build,.build-venv,.hypothesis,.schemathesis}
# The snapshot with one description edited: a CSV other than the built-in one, as the image shows.
sed 's/^\(ipcserver,600,tcp,\)Sun IPC server,/\1Sun IPC server (staged by container-test),/' "$SNAPSHOT" > "$CTX/$STAGED_CSV"
cmp -s "$SNAPSHOT" "$CTX/$STAGED_CSV" && die "could not edit port 600 in $SNAPSHOT for the IANA_CSV build"
STAGED_SHA=$(sha256sum "$CTX/$STAGED_CSV" | cut -d' ' -f1)
for litter in .git/HEAD .build/litter .build-venv/litter .hypothesis/litter .schemathesis/litter \
              .build-container/litter portinfo.db .portinfo.db.seed-1; do
    echo litter > "$CTX/$litter"
done
# No IANA_CSV: the seed stage seeds the built-in snapshot, with no network.
BUILD=(podman build --pull=never --format docker --network host "${MOUNTS[@]}")
# Labels are static: the seed stage knows the version and the newest IANA date, so build it first
# (its layers are reused by the full build below).
t "build --target seed" "${BUILD[@]}" --target seed -t "$SEED_TAG" "$CTX" >"$W/build-seed.log" 2>&1 \
    || { tail -40 "$W/build-seed.log"; die "podman build --target seed failed (log: $W/build-seed.log)"; }
# .dockerignore: the build saw the sources and the staged CSV, none of the host's build products,
# virtualenvs, tool caches, databases or .git.
context=$(podman run --rm --network none --entrypoint sh "$SEED_TAG" -c \
    'cd /src && { ls -A; ls -d .build/litter 2>/dev/null; } | grep -v "^\.build$" | tr "\n" " ";
     echo "| $(ls -A .build-container | tr "\n" " ")"')
for unwanted in .git .build-venv .hypothesis .schemathesis .build/litter portinfo.db .portinfo.db.seed-1 Dockerfile; do
    [[ " $context" != *" $unwanted "* ]] \
        || die "the build context holds $unwanted (.dockerignore): $context"
done
[[ $context == *"| service-names-port-numbers.csv " ]] \
    || die "the build context's .build-container should hold just the CSV (.dockerignore): $context"
echo "   build context (.dockerignore): $context"
VERSION=$(podman run --rm --network none --entrypoint /out/portinfo "$SEED_TAG" --version)
VERSION=${VERSION%%,*}   # "0.3.0, with the IANA registry snapshot ..."
REGISTRY_DATE=$(podman run --rm --network none --entrypoint cat "$SEED_TAG" /var/lib/portinfo/registry-date)
SOURCE_URL=$(git -C "$ROOT" remote get-url origin 2>/dev/null || echo https://portinfo.invalid/source)
REVISION=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
[[ -z $(git -C "$ROOT" status --porcelain 2>/dev/null) ]] || REVISION+=-dirty
echo "   version $VERSION, newest IANA date $REGISTRY_DATE, revision $REVISION"
BUILD+=(--build-arg "VERSION=$VERSION" --build-arg "REGISTRY_DATE=$REGISTRY_DATE"
        --build-arg "SOURCE_URL=$SOURCE_URL" --build-arg "REVISION=$REVISION")
t "build $TAG" "${BUILD[@]}" -t "$TAG" "$CTX" >"$W/build.log" 2>&1 \
    || { tail -40 "$W/build.log"; die "podman build failed (log: $W/build.log)"; }

# Another registry than the built-in one: a file in the context. Only the seed stage (and the
# runtime layer it fills) may be built again; the binary comes from the cache.
s=$EPOCHREALTIME
t "build $CSV_TAG (IANA_CSV=$STAGED_CSV)" "${BUILD[@]}" --build-arg "IANA_CSV=$STAGED_CSV" -t "$CSV_TAG" "$CTX" \
    >"$W/build-csv.log" 2>&1 \
    || { tail -40 "$W/build-csv.log"; die "podman build --build-arg IANA_CSV=$STAGED_CSV failed (log: $W/build-csv.log)"; }
CSV_BUILD_S=$(elapsed "$s")

# The negative control: the same Dockerfile with libsqlite3-0 left out of the runtime stage.
sed '/^FROM debian:bookworm-slim/,$ s/ libsqlite3-0//' "$CTX/Dockerfile" > "$W/Dockerfile.no-sqlite"
if cmp -s "$CTX/Dockerfile" "$W/Dockerfile.no-sqlite"; then
    die "could not remove libsqlite3-0 from the runtime stage for the negative check (did the Dockerfile change?)"
fi
t "build $BROKEN_TAG (no libsqlite3-0)" "${BUILD[@]}" -f "$W/Dockerfile.no-sqlite" -t "$BROKEN_TAG" "$CTX" \
    >"$W/build-no-sqlite.log" 2>&1 \
    || { tail -40 "$W/build-no-sqlite.log"; die "podman build of the negative control failed (log: $W/build-no-sqlite.log)"; }

# ---- 4. the checks -------------------------------------------------------------------------------
free_port() {
    local p
    for p in $(seq "${PORTINFO_CONTAINER_PORT:-18080}" 18999); do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
    die "no free port in 18080-18999"
}

# check_image IMAGE: run every check, print PASS/FAIL lines; sets FAILED (count) and FAILED_CHECKS,
# SIZE_MB, FIRST_200_S, STOP_S.
check_image() {
    local image=$1 port cid s out code size user caps i running
    FAILED=0; FAILED_CHECKS=(); SIZE_MB=?; FIRST_200_S=?; STOP_S=?
    pass() { echo "   PASS  $*"; }
    fail() { echo "   FAIL  $*"; FAILED=$((FAILED + 1)); FAILED_CHECKS+=("$1"); }

    # The image itself
    size=$(podman image inspect "$image" --format '{{.Size}}')
    SIZE_MB=$(awk -v b="$size" 'BEGIN { printf "%.1f", b / 1e6 }')
    if awk -v b="$size" -v l="$SIZE_LIMIT_MB" 'BEGIN { exit !(b < l * 1e6) }'; then pass "size: $SIZE_MB MB (< $SIZE_LIMIT_MB MB)"
    else fail size "image is $SIZE_MB MB, the target is < $SIZE_LIMIT_MB MB"; fi
    out=$(podman image inspect "$image" --format \
        'user={{.Config.User}} stop={{.Config.StopSignal}} entrypoint={{.Config.Entrypoint}} cmd={{.Config.Cmd}} health={{if .Config.Healthcheck}}{{.Config.Healthcheck.Test}}{{end}} ports={{range $k, $v := .Config.ExposedPorts}}{{$k}}{{end}} env={{range .Config.Env}}{{.}} {{end}}')
    [[ $out == *"user=10001"* ]] && pass "config: USER 10001" || fail config-user "USER is not 10001: $out"
    [[ $out == *"stop=SIGTERM"* ]] && pass "config: STOPSIGNAL SIGTERM" || fail config-stop "no STOPSIGNAL SIGTERM: $out"
    [[ $out == *"entrypoint=[portinfo] cmd=[serve]"* ]] && pass "config: ENTRYPOINT [portinfo] CMD [serve]" \
        || fail config-entrypoint "ENTRYPOINT/CMD are not [portinfo] [serve]: $out"
    [[ $out == *"health=[CMD portinfo healthcheck]"* ]] && pass "config: HEALTHCHECK CMD portinfo healthcheck" \
        || fail config-healthcheck "no HEALTHCHECK [CMD portinfo healthcheck] (built without --format docker?): $out"
    [[ $out == *"ports=8080/tcp"* ]] && pass "config: EXPOSE 8080" || fail config-expose "EXPOSE is not 8080: $out"
    [[ $out == *"PORTINFO_DB=/var/lib/portinfo/registry.db"* ]] && pass "config: PORTINFO_DB" \
        || fail config-env "PORTINFO_DB is not /var/lib/portinfo/registry.db: $out"
    local label_version label_date label_source
    label_version=$(podman image inspect "$image" --format '{{index .Config.Labels "org.opencontainers.image.version"}}')
    label_date=$(podman image inspect "$image" --format '{{index .Config.Labels "io.portinfo.registry-date"}}')
    label_source=$(podman image inspect "$image" --format '{{index .Config.Labels "org.opencontainers.image.source"}}')
    [[ -n $label_source && $label_date =~ ^[0-9]{4}-[0-9]{2} ]] \
        && pass "labels: source $label_source, version $label_version, registry date $label_date" \
        || fail labels "labels missing: source '$label_source', registry date '$label_date'"
    out=$(podman run --rm --no-healthcheck --network none --read-only --cap-drop ALL "$image" --version 2>&1) || true
    [[ ${out%%,*} == "$label_version" ]] && pass "portinfo --version is ${out%%,*}, as labelled" \
        || fail version "portinfo --version answers '$out', the label says '$label_version'"
    out=$(podman run --rm --no-healthcheck --network none --entrypoint sh "$image" -c \
        'for c in swiftc swift swift-frontend cc gcc clang c++ g++ ld as make curl wget; do command -v "$c"; done; ls /opt/swift 2>/dev/null; true')
    [[ -z $out ]] && pass "no compiler, linker, toolchain or curl in the image" \
        || fail no-compiler "the image holds build tools: $(echo $out)"
    out=$(podman run --rm --no-healthcheck --network none --entrypoint stat "$image" -c '%U:%G %a %n' \
        /usr/local/bin/portinfo /var/lib/portinfo /var/lib/portinfo/registry.db 2>&1 | tr '\n' ' ') || true
    [[ $out == "root:root 755 /usr/local/bin/portinfo root:root 755 /var/lib/portinfo root:root 444 /var/lib/portinfo/registry.db " ]] \
        && pass "binary and database owned by root, database read-only: $out" \
        || fail ownership "ownership/permissions are not as expected: $out"

    # The running service: read-only root filesystem, no tmpfs at /tmp, no capabilities.
    port=$(free_port)
    s=$EPOCHREALTIME
    cid=$(podman_q run -d -p "127.0.0.1:$port:8080" \
        --read-only --read-only-tmpfs=false --cap-drop ALL "$image")
    CONTAINERS+=("$cid")
    code=000
    for i in $(seq 1 $((FIRST_200_LIMIT_S * 20))); do
        code=$(curl -s -o /dev/null -w '%{http_code}' -m 1 "http://127.0.0.1:$port/healthz" 2>/dev/null) || true
        [[ $code == 200 ]] && break
        running=$(podman inspect "$cid" --format '{{.State.Running}}' 2>/dev/null || echo false)
        [[ $running == true ]] || break
        sleep 0.05
    done
    if [[ $code == 200 ]]; then
        FIRST_200_S=$(elapsed "$s")
        pass "GET /healthz 200, ${FIRST_200_S}s after podman run (--read-only --cap-drop ALL)"
    else
        fail healthz "/healthz not served (last status $code); the container's log:"
        podman logs "$cid" 2>&1 | tail -5 | sed 's/^/         | /'
        podman rm -f -t 0 "$cid" >/dev/null 2>&1 || true
        fail running "the service did not run, so its checks (records, health, user, stop) fail too"
        return
    fi

    out=$(curl -s -m 5 "http://127.0.0.1:$port/ports/600") || true
    [[ $out == *'"port":600'* && $out == *'"service":"ipcserver"'* ]] && pass "GET /ports/600 has a record for ipcserver" \
        || fail ports-600 "GET /ports/600 answered: ${out:0:300}"
    out=$(curl -s -m 5 "http://127.0.0.1:$port/search?q=sql&limit=100") || true
    [[ $out == *'"total":'* && $out == *'"results":[{'* ]] && pass "GET /search?q=sql answers (full-text search on a read-only root)" \
        || fail search "GET /search?q=sql answered: ${out:0:300}"
    out=$(curl -s -m 5 "http://127.0.0.1:$port/registry") || true
    [[ $out == *"\"newest_iana_date\":\"$label_date\""* ]] && pass "GET /registry newest_iana_date is $label_date, as labelled" \
        || fail registry-date "GET /registry does not report newest_iana_date $label_date: ${out:0:300}"
    [[ $out == *"\"source\":\"IANA snapshot $SNAPSHOT_DATE, built into portinfo\",\"sha256\":\"$SNAPSHOT_SHA\""* ]] \
        && pass "GET /registry: the built-in IANA snapshot $SNAPSHOT_DATE (sha256 ${SNAPSHOT_SHA:0:12}..., that of $(basename "$SNAPSHOT"))" \
        || fail registry-source "GET /registry does not name the built-in snapshot $SNAPSHOT_DATE with sha256 $SNAPSHOT_SHA: ${out:0:300}"
    if podman healthcheck run "$cid" >/dev/null 2>&1; then pass "podman healthcheck run: healthy"
    else fail healthcheck "podman healthcheck run: unhealthy ($(podman inspect "$cid" --format '{{.State.Health.Status}}' 2>&1))"; fi
    user=$(podman exec "$cid" id -u 2>&1) || true
    [[ $user == 10001 ]] && pass "the service runs as uid $user (podman top: $(podman top "$cid" user | tail -1))" \
        || fail non-root "the service runs as uid '$user'"
    caps=$(podman exec "$cid" sh -c 'grep CapEff /proc/1/status' 2>&1) || true
    [[ $caps =~ CapEff:[[:space:]]+0+$ ]] && pass "no capabilities ($caps)" || fail capabilities "capabilities: $caps"
    out=$(podman exec "$cid" sh -c 'touch /tmp/x 2>&1; touch /var/lib/portinfo/x 2>&1' || true)
    [[ $out == *"Read-only file system"*"Read-only file system"* ]] && pass "root filesystem read-only, /tmp too" \
        || fail read-only "the root filesystem is writable: $out"

    s=$EPOCHREALTIME
    podman_q stop -t "$STOP_LIMIT_S" "$cid" >/dev/null || true
    STOP_S=$(elapsed "$s")
    code=$(podman inspect "$cid" --format '{{.State.ExitCode}}' 2>&1) || true
    if [[ $code == 0 ]] && awk -v t="$STOP_S" -v l="$STOP_LIMIT_S" 'BEGIN { exit !(t < l) }'; then
        pass "podman stop (SIGTERM): exit code 0 after ${STOP_S}s"
    else
        fail stop "podman stop -t $STOP_LIMIT_S: exit code $code after ${STOP_S}s (137 means it was killed)"
        podman logs "$cid" 2>&1 | tail -5 | sed 's/^/         | /'
    fi
    podman rm -f -t 0 "$cid" >/dev/null 2>&1 || true
}

step "checks: $TAG"
check_image "$TAG"
GOOD_FAILED=$FAILED; GOOD_FAILED_CHECKS=("${FAILED_CHECKS[@]}")
GOOD_SIZE=$SIZE_MB; GOOD_FIRST_200=$FIRST_200_S; GOOD_STOP=$STOP_S

# check_csv_image: the IANA_CSV=FILE build reused the binary's build and serves that file; sets
# CSV_FAILED (count) and CSV_FAILED_CHECKS.
check_csv_image() {
    local port cid out code i
    CSV_FAILED=0; CSV_FAILED_CHECKS=()
    pass() { echo "   PASS  $*"; }
    fail() { echo "   FAIL  $*"; CSV_FAILED=$((CSV_FAILED + 1)); CSV_FAILED_CHECKS+=("$1"); }
    # podman build logs "[stage/stages] STEP n/m: RUN ..." and then "--> Using cache ID" for a step it reused.
    out=$(awk '/^(\[[0-9]+\/[0-9]+\] )?STEP [0-9]+\/[0-9]+: RUN swift build/ { getline next_line; print next_line; exit }' "$W/build-csv.log")
    [[ $out == "--> Using cache "* ]] && pass "the binary's build came from the cache (the build took ${CSV_BUILD_S}s)" \
        || fail csv-cached "the IANA_CSV build ran swift build again (after the step: '$out'; log: $W/build-csv.log)"
    port=$(free_port)
    cid=$(podman_q run -d -p "127.0.0.1:$port:8080" --read-only --read-only-tmpfs=false --cap-drop ALL "$CSV_TAG")
    CONTAINERS+=("$cid")
    code=000
    for i in $(seq 1 $((FIRST_200_LIMIT_S * 20))); do
        code=$(curl -s -o /dev/null -w '%{http_code}' -m 1 "http://127.0.0.1:$port/healthz" 2>/dev/null) || true
        [[ $code == 200 ]] && break
        sleep 0.05
    done
    out=$(curl -s -m 5 "http://127.0.0.1:$port/registry") || true
    [[ $out == *"\"source\":\"$(basename "$STAGED_CSV")\",\"sha256\":\"$STAGED_SHA\""* ]] \
        && pass "GET /registry: $(basename "$STAGED_CSV"), sha256 ${STAGED_SHA:0:12}..., that of the staged file" \
        || fail csv-registry "GET /registry does not name the staged CSV with sha256 $STAGED_SHA (healthz $code): ${out:0:300}"
    out=$(curl -s -m 5 "http://127.0.0.1:$port/ports/600") || true
    [[ $out == *"staged by container-test"* ]] && pass "GET /ports/600 has the staged file's edited description" \
        || fail csv-ports-600 "GET /ports/600 does not have the staged file's description: ${out:0:300}"
    podman rm -f -t 0 "$cid" >/dev/null 2>&1 || true
}

step "checks: $CSV_TAG"
check_csv_image

# ---- 5. the negative control must fail -----------------------------------------------------------
step "checks: $BROKEN_TAG (must fail)"
check_image "$BROKEN_TAG"
BROKEN_FAILED=$FAILED
broken_healthz_failed=false
for c in "${FAILED_CHECKS[@]}"; do [[ $c == healthz ]] && broken_healthz_failed=true; done

# Old build chains (untagged, no children) go; the tagged images and their layers stay as the cache.
podman image prune -f >/dev/null 2>&1 || true

# ---- summary -------------------------------------------------------------------------------------
step "summary"
echo "   image            $TAG ($VERSION, IANA registry of $REGISTRY_DATE)"
echo "   image size       $GOOD_SIZE MB (target < $SIZE_LIMIT_MB MB)"
echo "   run to first 200 ${GOOD_FIRST_200}s"
echo "   SIGTERM to exit  ${GOOD_STOP}s"
echo "   IANA_CSV=FILE    build ${CSV_BUILD_S}s, $CSV_FAILED failed checks${CSV_FAILED_CHECKS[*]:+: ${CSV_FAILED_CHECKS[*]}}"
echo "   real image       $GOOD_FAILED failed checks${GOOD_FAILED_CHECKS[*]:+: ${GOOD_FAILED_CHECKS[*]}}"
echo "   without sqlite   $BROKEN_FAILED failed checks (must be > 0, /healthz among them)"
echo "   total time       $(elapsed "$T0")s"
status=0
if ((GOOD_FAILED > 0)); then
    echo "container-test: FAILED: the image failed ${GOOD_FAILED} check(s): ${GOOD_FAILED_CHECKS[*]}" >&2; status=1
fi
if ((CSV_FAILED > 0)); then
    echo "container-test: FAILED: the IANA_CSV=FILE image failed ${CSV_FAILED} check(s): ${CSV_FAILED_CHECKS[*]}" >&2; status=1
fi
if [[ $broken_healthz_failed != true ]]; then
    echo "container-test: FAILED: the image without libsqlite3-0 served /healthz: the checks do not test what they claim" >&2; status=1
fi
((status == 0)) && echo "container-test: OK"
exit "$status"
