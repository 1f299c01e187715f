#!/usr/bin/env bash
# Build the Dockerfile with podman (no Docker engine, no registry) and prove the image works:
# built offline with no build argument, it holds exactly the binary, the shared libraries the
# binary's loader resolves in it, passwd and group for uid 10001 and the database (nothing else:
# no shell, no compiler), at most 25 MB; it serves the registry snapshot built into the binary, from
# a read-only root filesystem with no capabilities, as a non-root user, healthy by its own
# HEALTHCHECK, stopped cleanly by SIGTERM; socket owners are named from its own passwd (other uids
# as numbers) unless the host's is mounted over it. It prints the time from process start to the
# first 200 (the image's files, chroot, as uid 10001; target < 50 ms) beside the time from
# `podman run`. Then build it with --build-arg IANA_CSV=FILE (an edited copy of the snapshot staged
# in the context) and require that the binary's build came from the cache and that the image
# serves that file. Then build the same Dockerfile with libsqlite3.so.0 left out of the image and
# require that it FAILS the checks, which shows the checks can fail. Run as root on Debian 12 (CI:
# a fresh machine).
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
SIZE_LIMIT_MB=25          # at most, in 10^6 bytes as podman counts them
FIRST_200_TARGET_MS=50    # from process start; printed against the target, not failed on (a loaded
                          # CI machine is no place to fail on a time); the service's own benchmark
                          # is scripts/bench-http.sh
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
for tool in podman buildah runc debootstrap curl python3; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
command -v readelf >/dev/null || missing+=(binutils)
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

CONTAINERS=() MOUNTED_IMAGES=()
cleanup() {
    local c
    for c in "${CONTAINERS[@]}"; do podman rm -f -t 0 "$c" >/dev/null 2>&1 || true; done
    for c in "${MOUNTED_IMAGES[@]}"; do podman image unmount "$c" >/dev/null 2>&1 || true; done
    rm -rf --one-file-system "$W/start-root"
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

# The negative control: the same Dockerfile with libsqlite3.so.0 deleted from the files the final
# stage copies, at the end of the stage before `FROM scratch` (the build fails if there is none).
sed '/^FROM scratch/i RUN find /rootfs -name "libsqlite3.so*" -print -delete | grep .' \
    "$CTX/Dockerfile" > "$W/Dockerfile.no-sqlite"
[[ $(grep -c '^FROM scratch' "$CTX/Dockerfile") == 1 ]] \
    || die "the Dockerfile should have one final stage FROM scratch for the negative check (did it change?)"
t "build $BROKEN_TAG (no libsqlite3.so.0)" "${BUILD[@]}" -f "$W/Dockerfile.no-sqlite" -t "$BROKEN_TAG" "$CTX" \
    >"$W/build-no-sqlite.log" 2>&1 \
    || { tail -40 "$W/build-no-sqlite.log"; die "podman build of the negative control failed (log: $W/build-no-sqlite.log)"; }

# ---- 4. the checks -------------------------------------------------------------------------------
# free_port [FROM]: the first port from FROM (default PORTINFO_CONTAINER_PORT, else 18080) that
# nothing on 127.0.0.1 answers on.
free_port() {
    local p
    for p in $(seq "${1:-${PORTINFO_CONTAINER_PORT:-18080}}" 18999); do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
    die "no free port in 18080-18999"
}

# start_to_first_200_ms FILES PORT: five times, start the binary from the image's files (copied to
# FILES, with a procfs: the Swift runtime reads /proc/self/maps) alone, chroot and as uid 10001,
# with the image's database; ask GET /healthz as fast as a socket allows. Prints two lines: the
# milliseconds from process start to the first 200, and the CPU milliseconds the process used from
# start to stop (which a loaded machine does not inflate as it does the first). Fails, with the
# process's last words, when it exits first. In a mount namespace of its own, so that the procfs
# goes with it.
start_to_first_200_ms() {
    unshare --mount --propagation private sh -c 'mount -t proc proc "$1/proc" && shift && exec python3 - "$@"' \
        sh "$1" "$1" "$2" "$FIRST_200_LIMIT_S" <<'EOF'
import os, socket, subprocess, sys, time
root, port, limit = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
def start_to_first_200():
    started = time.perf_counter()
    process = subprocess.Popen(
        ["chroot", "--userspec=10001:10001", root, "/usr/local/bin/portinfo", "serve",
         "--db", "/var/lib/portinfo/registry.db", "--host", "127.0.0.1", "--port", str(port), "--access-log", "off"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: container-test\r\nConnection: close\r\n\r\n")
                    if s.recv(64).startswith(b"HTTP/1.1 200"):
                        wall = (time.perf_counter() - started) * 1000
                        process.terminate()
                        _, _, usage = os.wait4(process.pid, 0)
                        process.returncode = 0
                        return wall, (usage.ru_utime + usage.ru_stime) * 1000
            except OSError:
                if process.poll() is not None:
                    words = process.stderr.read().decode(errors="replace").strip().splitlines()
                    sys.exit(f"exited ({process.returncode}) before a 200: {words[-1] if words else 'no message'}")
                if time.perf_counter() - started > limit:
                    sys.exit(f"no 200 within {limit:g} s")
                time.sleep(0.0005)
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait()
runs = [start_to_first_200() for _ in range(5)]
print(" ".join(f"{wall:.1f}" for wall, _ in runs))
print(" ".join(f"{cpu:.1f}" for _, cpu in runs))
EOF
}

# check_image IMAGE: run every check, print PASS/FAIL lines; sets FAILED (count) and FAILED_CHECKS,
# SIZE_MB, START_MS (START_NOTE when over the target), START_CPU_MS, FIRST_200_S, STOP_S.
check_image() {
    local image=$1 port cid s out code size pid root interp libs expected actual i running
    FAILED=0; FAILED_CHECKS=(); SIZE_MB=?; START_MS=?; START_NOTE=; START_CPU_MS=?; FIRST_200_S=?; STOP_S=?
    pass() { echo "   PASS  $*"; }
    fail() { echo "   FAIL  $*"; FAILED=$((FAILED + 1)); FAILED_CHECKS+=("$1"); }

    # The image itself
    size=$(podman image inspect "$image" --format '{{.Size}}')
    SIZE_MB=$(awk -v b="$size" 'BEGIN { printf "%.1f", b / 1e6 }')
    if awk -v b="$size" -v l="$SIZE_LIMIT_MB" 'BEGIN { exit !(b <= l * 1e6) }'; then pass "size: $SIZE_MB MB (at most $SIZE_LIMIT_MB MB)"
    else fail size "image is $SIZE_MB MB, the limit is $SIZE_LIMIT_MB MB"; fi
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

    # Its files, through a read-only mount of the image: the loader named in the binary resolves
    # every library in the image, and the image holds those, the binary, passwd, group and the
    # database, and no other file (so no shell, compiler, package manager or curl).
    root=$(podman image mount "$image"); MOUNTED_IMAGES+=("$image")
    interp=$(readelf -l "$root/usr/local/bin/portinfo" 2>/dev/null | sed -n 's/.*program interpreter: \(.*\)]$/\1/p') || true
    code=0
    out=$(podman run --rm --no-healthcheck --network none --read-only --cap-drop ALL --entrypoint "${interp:-/no-interpreter}" \
        "$image" --list /usr/local/bin/portinfo 2>&1) || code=$?
    libs=$(awk '$2 == "=>" && $3 ~ /^\// { printf "%s ", $3 }' <<<"$out")
    if [[ -n $interp && $code == 0 && $out != *"not found"* ]]; then
        pass "the image's loader $interp resolves every library in the image: $libs"
    else
        fail libraries "the image's loader '$interp' does not resolve the binary's libraries (exit $code): $(echo $out)"
    fi
    expected=$(printf '%s\n' usr/local/bin/portinfo etc/passwd etc/group var/lib/portinfo/registry.db \
        ${interp#/} $(for l in $libs; do echo "${l#/}"; done) | sort -u)
    actual=$(cd "$root" && find . -mindepth 1 ! -type d -printf '%P\n' | sort)
    [[ $actual == "$expected" ]] && pass "the image holds exactly $(wc -l <<<"$actual") files: $(echo $actual)" \
        || fail contents "the image's files differ from the binary, its libraries, passwd, group and database: $(diff <(echo "$expected") <(echo "$actual") | grep '^[<>]' | tr '\n' ' ')"
    out=$(cd "$root" && stat -c '%U:%G %a %n' usr/local/bin/portinfo var/lib/portinfo var/lib/portinfo/registry.db 2>&1 | tr '\n' ' ') || true
    [[ $out == "root:root 755 usr/local/bin/portinfo root:root 755 var/lib/portinfo root:root 444 var/lib/portinfo/registry.db " ]] \
        && pass "binary and database owned by root, database read-only: $out" \
        || fail ownership "ownership/permissions are not as expected: $out"
    out="$(cat "$root/etc/passwd" 2>&1) | $(cat "$root/etc/group" 2>&1)"
    awk -F: 'END { exit !(NR == 1 && $1 == "portinfo" && $3 == 10001 && $4 == 10001) }' "$root/etc/passwd" 2>/dev/null \
        && awk -F: 'END { exit !(NR == 1 && $1 == "portinfo" && $3 == 10001) }' "$root/etc/group" 2>/dev/null \
        && pass "/etc/passwd and /etc/group: the portinfo user and group, 10001, alone ($out)" \
        || fail passwd "/etc/passwd | /etc/group are not just the portinfo user and group 10001: $out"

    # From process start to the first 200: the image's files alone, without the container runtime's
    # own start (podman run's time to the first 200 follows below).
    rm -rf --one-file-system "$W/start-root"; cp -a "$root/." "$W/start-root"; mkdir -p "$W/start-root/proc"
    podman image unmount "$image" >/dev/null || true
    if out=$(start_to_first_200_ms "$W/start-root" "$(free_port)" 2>&1); then
        START_MS=$(sed -n 1p <<<"$out" | tr ' ' '\n' | sort -n | sed -n 3p)
        START_CPU_MS=$(sed -n 2p <<<"$out" | tr ' ' '\n' | sort -n | sed -n 3p)
        awk -v t="$START_MS" -v l="$FIRST_200_TARGET_MS" 'BEGIN { exit !(t >= l) }' \
            && START_NOTE=", OVER THE TARGET at load average $(cut -d' ' -f1-3 /proc/loadavg)"
        pass "process start to first 200 (the image's files, chroot, uid 10001): median $START_MS ms of 5 ($(sed -n 1p <<<"$out")) (target < $FIRST_200_TARGET_MS ms$START_NOTE); CPU, start to stop: median $START_CPU_MS ms ($(sed -n 2p <<<"$out"))"
    else
        fail start "the binary does not serve from the image's files alone (chroot, uid 10001): $out"
    fi
    rm -rf --one-file-system "$W/start-root"

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
    # The service process seen from the host (the image has no shell to ask from inside).
    pid=$(podman inspect "$cid" --format '{{.State.Pid}}')
    out=$(awk '/^(Uid|Gid):/ { printf "%s %s %s %s %s ", $1, $2, $3, $4, $5 }' "/proc/$pid/status")
    [[ $out == "Uid: 10001 10001 10001 10001 Gid: 10001 10001 10001 10001 " ]] \
        && pass "the service runs as uid and gid 10001 ($out; podman top: $(podman top "$cid" user | tail -1))" \
        || fail non-root "the service runs as: $out"
    out=$(awk '/^Cap(Inh|Prm|Eff|Bnd|Amb):/ { printf "%s %s ", $1, $2 }' "/proc/$pid/status")
    [[ $out =~ ^(Cap[A-Za-z]+:\ 0+\ ){5}$ ]] && pass "no capabilities ($out)" || fail capabilities "capabilities: $out"
    # Written to as root from the host, through the service's own view of its root: / and every
    # folder in the image refuse, and there is no /tmp (nor a tmpfs on it) to write to instead.
    out=$(for f in x etc/x usr/local/bin/x var/lib/portinfo/x tmp/x; do
              echo "/$f: $(touch "/proc/$pid/root/$f" 2>&1 | sed 's/.*: //' || true)"; done | tr '\n' ' ')
    [[ $out == "/x: Read-only file system /etc/x: Read-only file system /usr/local/bin/x: Read-only file system /var/lib/portinfo/x: Read-only file system /tmp/x: No such file or directory " ]] \
        && pass "root filesystem read-only, no /tmp: $out" \
        || fail read-only "the root filesystem is writable somewhere: $out"

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
GOOD_SIZE=$SIZE_MB; GOOD_START=$START_MS; GOOD_START_NOTE=$START_NOTE; GOOD_START_CPU=$START_CPU_MS; GOOD_FIRST_200=$FIRST_200_S; GOOD_STOP=$STOP_S

# check_owner_names: socket owners are named from the image's /etc/passwd, which lists only
# portinfo, so a socket of uid 0 shows as "0", never as a name the image made up; with the host's
# /etc/passwd mounted over it (as the DaemonSet does), as the host names it. Three containers of
# the image in one network namespace: A (its passwd) and C (the host's passwd mounted read-only)
# report what listens, B listens as uid 0. Sets OWNERS_FAILED (count) and OWNERS_FAILED_CHECKS.
check_owner_names() {
    local a b c port_a port_c token out i host_root
    OWNERS_FAILED=0; OWNERS_FAILED_CHECKS=()
    pass() { echo "   PASS  $*"; }
    fail() { echo "   FAIL  $*"; OWNERS_FAILED=$((OWNERS_FAILED + 1)); OWNERS_FAILED_CHECKS+=("$1"); }
    token=container-test-$RANDOM$RANDOM$RANDOM
    port_a=$(free_port); port_c=$(free_port $((port_a + 1)))
    local run=(podman_q run -d --read-only --read-only-tmpfs=false --cap-drop ALL)
    a=$("${run[@]}" -p "127.0.0.1:$port_a:8080" -p "127.0.0.1:$port_c:8082" \
        -e PORTINFO_REPORT_LOCAL=1 -e PORTINFO_LOCAL_TOKEN="$token" "$TAG"); CONTAINERS+=("$a")
    b=$("${run[@]}" --network "container:$a" --user 0:0 -e PORTINFO_HOST=127.0.0.1 -e PORTINFO_PORT=8081 "$TAG")
    CONTAINERS+=("$b")
    c=$("${run[@]}" --network "container:$a" -v /etc/passwd:/etc/passwd:ro -e PORTINFO_PORT=8082 \
        -e PORTINFO_REPORT_LOCAL=1 -e PORTINFO_LOCAL_TOKEN="$token" "$TAG"); CONTAINERS+=("$c")
    listeners() { curl -s -m 5 -H "Authorization: Bearer $token" "http://127.0.0.1:$1/listeners?transport=tcp" || true; }
    for i in $(seq 1 $((FIRST_200_LIMIT_S * 10))); do
        [[ $(listeners "$port_a") == *'"port":8081,'* && $(listeners "$port_c") == *'"port":8081,'* ]] && break
        sleep 0.1
    done
    host_root=$(awk -F: '$3 == 0 { print $1; exit }' /etc/passwd)
    out=$(listeners "$port_a")
    [[ $out == *'"port":8081,'*'"user":"0"'* && $out == *'"port":8080,'*'"user":"portinfo"'* ]] \
        && pass "the image's own passwd: uid 0's socket (8081) shows as \"0\", its own (8080) as \"portinfo\"" \
        || fail owners-image "GET /listeners (the image's passwd) should show uid 0 as \"0\" and 10001 as \"portinfo\": ${out:0:600}"
    out=$(listeners "$port_c")
    [[ -n $host_root && $out == *'"port":8081,'*"\"user\":\"$host_root\""* ]] \
        && pass "the host's passwd mounted read-only: uid 0's socket (8081) shows as \"$host_root\"" \
        || fail owners-host "GET /listeners (the host's passwd mounted) should show uid 0 as \"$host_root\": ${out:0:600}"
    # B and C first: A's network namespace is theirs, and A holds both published ports.
    podman rm -f -t 0 "$c" "$b" >/dev/null 2>&1 || true
    podman rm -f -t 0 "$a" >/dev/null 2>&1 || true
}

step "checks: socket owners' names in $TAG"
check_owner_names

# check_csv_image: the IANA_CSV=FILE build reused the binary's build and serves that file; sets
# CSV_FAILED (count) and CSV_FAILED_CHECKS.
check_csv_image() {
    local port cid out code i
    CSV_FAILED=0; CSV_FAILED_CHECKS=()
    pass() { echo "   PASS  $*"; }
    fail() { echo "   FAIL  $*"; CSV_FAILED=$((CSV_FAILED + 1)); CSV_FAILED_CHECKS+=("$1"); }
    # podman build logs "[stage/stages] STEP n/m: RUN ..." and then "--> Using cache ID" for a step it reused.
    out=$(awk '/^(\[[0-9]+\/[0-9]+\] )?STEP [0-9]+\/[0-9]+: RUN .*swift build / { getline next_line; print next_line; exit }' "$W/build-csv.log")
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
# It must fail where a missing library shows: the loader's resolution, the start and the service.
broken_missed=()
for want in libraries start healthz; do
    [[ " ${FAILED_CHECKS[*]} " == *" $want "* ]] || broken_missed+=("$want")
done

# Old build chains (untagged, no children) go; the tagged images and their layers stay as the cache.
podman image prune -f >/dev/null 2>&1 || true

# ---- summary -------------------------------------------------------------------------------------
step "summary"
echo "   image            $TAG ($VERSION, IANA registry of $REGISTRY_DATE)"
echo "   image size       $GOOD_SIZE MB (at most $SIZE_LIMIT_MB MB)"
echo "   start to 200     $GOOD_START ms from process start, median of 5 (target < $FIRST_200_TARGET_MS ms$GOOD_START_NOTE; $GOOD_START_CPU ms CPU)"
echo "   run to first 200 ${GOOD_FIRST_200}s from podman run (the container runtime's start included)"
echo "   SIGTERM to exit  ${GOOD_STOP}s"
echo "   owners' names    $OWNERS_FAILED failed checks${OWNERS_FAILED_CHECKS[*]:+: ${OWNERS_FAILED_CHECKS[*]}}"
echo "   IANA_CSV=FILE    build ${CSV_BUILD_S}s, $CSV_FAILED failed checks${CSV_FAILED_CHECKS[*]:+: ${CSV_FAILED_CHECKS[*]}}"
echo "   real image       $GOOD_FAILED failed checks${GOOD_FAILED_CHECKS[*]:+: ${GOOD_FAILED_CHECKS[*]}}"
echo "   without sqlite   $BROKEN_FAILED failed checks (must include libraries, start and healthz)"
echo "   total time       $(elapsed "$T0")s"
status=0
if ((GOOD_FAILED > 0)); then
    echo "container-test: FAILED: the image failed ${GOOD_FAILED} check(s): ${GOOD_FAILED_CHECKS[*]}" >&2; status=1
fi
if ((OWNERS_FAILED > 0)); then
    echo "container-test: FAILED: socket owners' names: ${OWNERS_FAILED_CHECKS[*]}" >&2; status=1
fi
if ((CSV_FAILED > 0)); then
    echo "container-test: FAILED: the IANA_CSV=FILE image failed ${CSV_FAILED} check(s): ${CSV_FAILED_CHECKS[*]}" >&2; status=1
fi
if ((${#broken_missed[@]})); then
    echo "container-test: FAILED: the image without libsqlite3.so.0 passed ${broken_missed[*]}: the checks do not test what they claim" >&2; status=1
fi
((status == 0)) && echo "container-test: OK"
exit "$status"
