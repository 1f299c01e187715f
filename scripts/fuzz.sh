#!/usr/bin/env bash
# Fuzzes the parsers that read what others write, with libFuzzer and AddressSanitizer.
#
#   scripts/fuzz.sh TARGET SECONDS   build TARGET (when its sources changed) and fuzz it that long
#   scripts/fuzz.sh all SECONDS      every target in turn, sharing SECONDS in all equally
#   scripts/fuzz.sh build [TARGET]   build only (every target without one)
#
# Each target is its harness Fuzz/TARGET.swift, compiled with Fuzz/FuzzInput.swift,
# Fuzz/Invariant.swift and the module sources it tests into one binary (no package build: nothing
# but the toolchain is needed), cached in .build-fuzz/; Fuzz/TARGET.dict, if there, is its
# dictionary. The targets of the Registry module compile it whole, with the files its build
# plugins embed (made here by Sources/FileEmbedder), against Basics built as a module of its own
# and the system's SQLite. A run starts from a copy of Fuzz/corpus/TARGET/ in a scratch folder, so the
# repository is never written to, and ends with the executions and coverage reached. A crash, a
# hang or a broken invariant exits 1 and names the saved input; replay it with
# `SWIFT_BACKTRACE=enable=no .build-fuzz/TARGET INPUT`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"

# The module sources each target compiles: the one place to change when a module's files change.
declare -A target_sources=(
    [http-request-parser]="Sources/HTTPServer/HTTPRequestParser.swift Sources/HTTPServer/InboundBuffer.swift
        Sources/HTTPServer/HTTPSyntax.swift Sources/HTTPServer/HTTPHeaders.swift Sources/HTTPServer/HTTPRequest.swift
        Sources/HTTPServer/HTTPLimits.swift"
    [csv-reader]="Sources/Registry/CSVReader.swift Sources/Registry/ByteStream.swift Sources/Registry/SHA256.swift"
    [proc-net-parsers]="Sources/HostState/ProcNetTCPParser.swift Sources/HostState/ProcNetUDPParser.swift
        Sources/HostState/ProcNetEndpoint.swift Sources/HostState/ProcNetSocketTable.swift
        Sources/HostState/SocketEndpoint.swift Sources/HostState/ListeningSocket.swift Sources/HostState/KernelSocketState.swift
        Sources/HostState/ASCIINumber.swift Sources/HostState/Listener.swift
        Sources/HostState/IPAddressText.swift Sources/HostState/MalformedLines.swift"
    [percent-decoding]="Sources/PortInfoAPI/PercentDecoding.swift"
    [query-parameters]="Sources/PortInfoAPI/QueryParameters.swift Sources/PortInfoAPI/PercentDecoding.swift
        Sources/PortInfoAPI/Problem.swift"
    [site-ports-file]=registry
    [registry-database]=registry
)
targets=(http-request-parser csv-reader proc-net-parsers percent-decoding query-parameters site-ports-file registry-database)

build_dir=.build-fuzz
# -package-name as SwiftPM gives it, for the sources' `package` declarations.
swift_flags=(-swift-version 6 -parse-as-library -O -g -sanitize=fuzzer,address -use-ld=lld -package-name portinfo)
# Slower inputs than this are reported as hangs: every parser here must answer in microseconds.
input_timeout_seconds=10

usage() {
    echo "usage: $0 TARGET|all SECONDS, or $0 build [TARGET]; targets: ${targets[*]}" >&2
    exit 2
}

known_target() {
    [[ -n "${target_sources[$1]:-}" ]] || { echo "$0: unknown target '$1'" >&2; usage; }
}

# The Registry module's own sources, the files its plugins embed (generated into
# .build-fuzz/generated/ as the plugins would), and the flags that find Basics and SQLite.
registry_sources() {
    ls Sources/Registry/*.swift
    echo "$build_dir/generated/EmbeddedMigrations.swift $build_dir/generated/EmbeddedKnowledge.swift"
    echo "$build_dir/generated/EmbeddedSnapshot.swift"
}
registry_flags=(-I "$build_dir/modules" -L "$build_dir/modules" -lBasics -I Sources/CSQLite)

# Basics as a static library module, and the embedded files, for the Registry targets (again
# only when what they are made from changed).
build_registry_dependencies() {
    local key
    key=$( { swiftc --version 2>&1; echo "${swift_flags[*]}"; cat Sources/FileEmbedder/main.swift Sources/Basics/*.swift \
        migrations/*.sql knowledge/everyday-names.csv knowledge/known-uses.csv iana/*.csv; } | sha256sum | cut -d' ' -f1)
    [[ "$(cat "$build_dir/modules.key" 2>/dev/null)" == "$key" ]] && return
    mkdir -p "$build_dir/modules" "$build_dir/generated"
    rm -f "$build_dir/modules.key"
    swiftc -O Sources/FileEmbedder/main.swift -o "$build_dir/FileEmbedder"
    "$build_dir/FileEmbedder" "$build_dir/generated/EmbeddedMigrations.swift" embeddedMigrationFiles migrations/*.sql
    "$build_dir/FileEmbedder" "$build_dir/generated/EmbeddedKnowledge.swift" embeddedKnowledgeFiles \
        knowledge/everyday-names.csv knowledge/known-uses.csv
    "$build_dir/FileEmbedder" "$build_dir/generated/EmbeddedSnapshot.swift" embeddedSnapshotFiles iana/*.csv
    swiftc "${swift_flags[@]}" -emit-library -static -emit-module -module-name Basics \
        -emit-module-path "$build_dir/modules/Basics.swiftmodule" Sources/Basics/*.swift -o "$build_dir/modules/libBasics.a"
    echo "$key" >"$build_dir/modules.key"
}

# Builds .build-fuzz/TARGET unless it was built from exactly these sources, flags and compiler.
build() {
    local target=$1
    local files extra=()
    if [[ ${target_sources[$target]} == registry ]]; then
        build_registry_dependencies
        read -r -a files <<<"Fuzz/$target.swift Fuzz/FuzzInput.swift Fuzz/Invariant.swift $(registry_sources | tr '\n' ' ')"
        extra=("${registry_flags[@]}")
    else
        read -r -a files <<<"Fuzz/$target.swift Fuzz/FuzzInput.swift Fuzz/Invariant.swift ${target_sources[$target]}"
    fi
    local binary="$build_dir/$target"
    local key
    key=$( { swiftc --version 2>&1; echo "${swift_flags[*]} ${extra[*]}"; cat "${files[@]}" Sources/Basics/*.swift; } | sha256sum | cut -d' ' -f1)
    if [[ -x "$binary" && "$(cat "$binary.key" 2>/dev/null)" == "$key" ]]; then return; fi
    mkdir -p "$build_dir"
    local started=$SECONDS
    rm -f "$binary.key"
    swiftc "${swift_flags[@]}" "${extra[@]}" -module-name "$(echo "$target" | tr -d -)" "${files[@]}" -o "$binary"
    echo "$key" >"$binary.key"
    echo "$target: built in $((SECONDS - started)) s"
}

# Fuzzes TARGET for SECONDS; prints its figures, or the failure and where the input is kept.
run() {
    local target=$1 seconds=$2
    build "$target"
    local scratch
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-$target.XXXXXX")
    mkdir "$scratch/corpus"
    cp -R "Fuzz/corpus/$target/." "$scratch/corpus/"
    local dictionary=()
    [[ -f "Fuzz/$target.dict" ]] && dictionary=(-dict="Fuzz/$target.dict")
    local status=0
    # The Swift runtime's own backtracer would race libFuzzer's crash handler.
    SWIFT_BACKTRACE=enable=no "$build_dir/$target" "${dictionary[@]}" -max_total_time="$seconds" \
        -timeout="$input_timeout_seconds" -print_final_stats=1 -artifact_prefix="$scratch/" "$scratch/corpus" \
        >"$scratch/log" 2>&1 || status=$?
    local executions rate coverage
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$scratch/log")
    coverage=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [^ ]*' "$scratch/log" | tail -1)
    if ((status == 0)); then
        echo "$target: ${executions:-?} executions in $seconds s (${rate:-?}/s), $coverage"
        rm -rf "$scratch"
        return 0
    fi
    # From the harness's message (or the sanitizer's report) to libFuzzer's summary.
    sed -n '/Fatal error\|ERROR: \(AddressSanitizer\|libFuzzer\)/,$p' "$scratch/log" | head -80
    local input
    input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$scratch/log" | tail -1)
    echo "$target: FAILED after ${executions:-?} executions (exit $status); log: $scratch/log"
    [[ -n "$input" ]] && echo "$target: crashing input: $input ($(od -An -tx1 -v "$input" | head -c 600 | tr -s ' \n' ' '))"
    return 1
}

case "${1:-}" in
build)
    if (($# == 2)); then known_target "$2"; build "$2"; else for target in "${targets[@]}"; do build "$target"; done; fi
    ;;
all)
    (($# == 2)) || usage
    failed=()
    share=$(($2 / ${#targets[@]}))
    for target in "${targets[@]}"; do run "$target" "$share" || failed+=("$target"); done
    if ((${#failed[@]})); then echo "fuzzing failed: ${failed[*]}" >&2; exit 1; fi
    ;;
*)
    (($# == 2)) || usage
    known_target "$1"
    run "$1" "$2"
    ;;
esac
