#!/usr/bin/env bash
# Fuzzes the parsers that read what others write, with libFuzzer and AddressSanitizer.
#
#   scripts/fuzz.sh TARGET SECONDS   build TARGET (when its sources changed) and fuzz it that long
#   scripts/fuzz.sh all SECONDS      every target in turn, sharing SECONDS in all equally
#   scripts/fuzz.sh build [TARGET]   build only (every target without one)
#
# Each target is its harness Fuzz/TARGET.swift, compiled with Fuzz/FuzzInput.swift and
# Fuzz/Invariant.swift, which imports the module it tests (`@testable` where it reaches inside).
# That module and the modules it needs are built here with swiftc as static libraries, from what
# `swift package describe` says of them (their folders and their dependencies, the packages'
# checkouts included): nothing is listed by hand, so renames and new files need nothing here.
# The files a module embeds are made as its build plugin makes them, from its `embedded-files`
# manifest, by Sources/FileEmbedder. Everything is cached in .build-fuzz/, rebuilt when its
# sources change; Fuzz/TARGET.dict, if there, is a target's dictionary. A run starts from a copy
# of Fuzz/corpus/TARGET/ in a scratch folder, so the repository is never written to, and ends with
# the executions and coverage reached. A crash, a hang or a broken invariant exits 1 and names the
# saved input; replay it with `SWIFT_BACKTRACE=enable=no .build-fuzz/TARGET INPUT`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/opt/swift/usr/bin"

# The module each target tests.
declare -A target_module=(
    [http-request-parser]=HTTPServer [query-parameters]=HTTPServer [percent-decoding]=Basics
    [csv-reader]=Registry [site-ports-file]=Registry [registry-database]=Registry [proc-net-parsers]=HostState
)
targets=(http-request-parser csv-reader proc-net-parsers percent-decoding query-parameters site-ports-file registry-database)

build_dir=.build-fuzz
modules_dir=$build_dir/modules
# -package-name as SwiftPM gives it, for the sources' `package` declarations.
swift_flags=(-swift-version 6 -parse-as-library -O -g -sanitize=fuzzer,address -package-name portinfo)
# Slower inputs than this are reported as hangs: every parser here must answer in milliseconds.
input_timeout_seconds=10

usage() {
    echo "usage: $0 TARGET|all SECONDS, or $0 build [TARGET]; targets: ${targets[*]}" >&2
    exit 2
}

known_target() {
    [[ -n "${target_module[$1]:-}" ]] || { echo "$0: unknown target '$1'" >&2; usage; }
}

# What `swift package describe` says of each library module, this package's and its
# dependencies': a line each, "NAME FOLDER DEPENDENCY,...", system libraries as "NAME FOLDER -".
describe_modules() {
    swift package resolve >/dev/null
    python3 - "$(swift package show-dependencies --format json)" <<'PYTHON'
import json, subprocess, sys
packages = ["."] + [dependency["path"] for dependency in json.loads(sys.argv[1])["dependencies"]]
for package in packages:
    description = json.loads(subprocess.run(["swift", "package", "--package-path", package, "describe", "--type", "json"],
                                            check=True, capture_output=True, text=True).stdout)
    for target in description["targets"]:
        if target["type"] in ("library", "system-target"):
            folder = target["path"] if package == "." else f"{package}/{target['path']}"
            dependencies = target.get("target_dependencies", []) + target.get("product_dependencies", [])
            kind = "-" if target["type"] == "system-target" else ",".join(dependencies)
            print(target["name"], folder, kind or ",")
PYTHON
}

declare -A module_folder=() module_dependencies=()
modules_read=""
read_modules() {
    [[ -n $modules_read ]] && return
    modules_read=1
    while read -r name folder dependencies; do
        module_folder[$name]=$folder
        module_dependencies[$name]=$dependencies
    done < <(describe_modules)
}

# The files MODULE's `embedded-files` manifest names, made into Swift source as its plugin would.
embed_files() {
    local module=$1 manifest="${module_folder[$1]}/embedded-files"
    [[ -f $manifest ]] || return 0
    mkdir -p "$build_dir/generated/$module"
    # As SwiftPM builds it for the plugin (it imports Basics), into the release build CI shares.
    if [[ ! -x $build_dir/FileEmbedder ]] || [[ -n $(find Sources/FileEmbedder Sources/Basics -newer "$build_dir/FileEmbedder") ]]; then
        swift build -c release --product FileEmbedder >&2
        cp "$(swift build -c release --show-bin-path)/FileEmbedder" "$build_dir/FileEmbedder"
    fi
    local symbol check files
    while read -r symbol check files; do
        [[ -z $symbol || $symbol == \#* ]] && continue
        # shellcheck disable=SC2086 # the manifest's DIR/*.EXT are globs, expanded here in name order
        "$build_dir/FileEmbedder" "$build_dir/generated/$module/$symbol.swift" "$symbol" "$check" $files
    done <"$manifest"
}

# Swift sources of MODULE: its folder's, and what it embeds.
module_sources() {
    find "${module_folder[$1]}" -name '*.swift' | sort
    [[ -d $build_dir/generated/$1 ]] && find "$build_dir/generated/$1" -name '*.swift' | sort
    return 0
}

# Builds MODULE (after what it depends on) as .build-fuzz/modules/libMODULE.a and its
# .swiftmodule, unless built from exactly these sources and flags.
declare -A module_built=()
build_module() {
    local module=$1
    [[ -n ${module_built[$module]:-} ]] && return
    module_built[$module]=1
    local dependencies=${module_dependencies[$module]}
    [[ $dependencies == - ]] && return # a system library: its module map is found by -I
    local dependency
    for dependency in ${dependencies//,/ }; do
        [[ -n ${module_folder[$dependency]:-} ]] && build_module "$dependency"
    done
    embed_files "$module"
    local sources
    mapfile -t sources < <(module_sources "$module")
    local key
    key=$( { swiftc --version 2>&1; echo "${swift_flags[*]} $dependencies"; cat "${sources[@]}"; } | sha256sum | cut -d' ' -f1)
    [[ -f $modules_dir/lib$module.a && "$(cat "$modules_dir/$module.key" 2>/dev/null)" == "$key" ]] && return
    mkdir -p "$modules_dir"
    local package_name=portinfo
    [[ ${module_folder[$module]} == */checkouts/* ]] && package_name=$(basename "$(dirname "$(dirname "${module_folder[$module]}")")" | tr -c 'A-Za-z0-9\n' _)
    swiftc "${swift_flags[@]/portinfo/$package_name}" -enable-testing -emit-library -static -emit-module -module-name "$module" \
        -emit-module-path "$modules_dir/$module.swiftmodule" "${include_flags[@]}" "${sources[@]}" -o "$modules_dir/lib$module.a"
    echo "$key" >"$modules_dir/$module.key"
}

# -I for every module's folder (system libraries' module maps) and the built modules.
include_flags=()

# Builds .build-fuzz/TARGET unless it was built from exactly these sources, flags and modules.
build() {
    local target=$1 module=${target_module[$1]}
    read_modules
    include_flags=(-I "$modules_dir")
    local name
    for name in "${!module_folder[@]}"; do [[ ${module_dependencies[$name]} == - ]] && include_flags+=(-I "${module_folder[$name]}"); done
    build_module "$module"
    local files=("Fuzz/$target.swift" Fuzz/FuzzInput.swift Fuzz/Invariant.swift)
    local libraries=() keys=()
    for name in "${!module_built[@]}"; do
        [[ -f $modules_dir/lib$name.a ]] && libraries+=(-l"$name") && keys+=("$modules_dir/$name.key")
    done
    local binary="$build_dir/$target"
    local key
    key=$( { swiftc --version 2>&1; echo "${swift_flags[*]} ${libraries[*]}"; cat "${files[@]}" "${keys[@]}"; } | sha256sum | cut -d' ' -f1)
    if [[ -x "$binary" && "$(cat "$binary.key" 2>/dev/null)" == "$key" ]]; then return; fi
    local started=$SECONDS
    rm -f "$binary.key"
    swiftc "${swift_flags[@]}" -use-ld=lld -module-name "$(echo "$target" | tr -d -)" "${include_flags[@]}" -L "$modules_dir" \
        "${libraries[@]}" "${files[@]}" -o "$binary"
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
    if (($# == 2)); then known_target "$2"; build "$2"; else for target in "${targets[@]}"; do module_built=(); build "$target"; done; fi
    ;;
all)
    (($# == 2)) || usage
    failed=()
    share=$(($2 / ${#targets[@]}))
    for target in "${targets[@]}"; do module_built=(); run "$target" "$share" || failed+=("$target"); done
    if ((${#failed[@]})); then echo "fuzzing failed: ${failed[*]}" >&2; exit 1; fi
    ;;
*)
    (($# == 2)) || usage
    known_target "$1"
    run "$1" "$2"
    ;;
esac
