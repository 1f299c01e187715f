# Shared by the bench-*.sh scripts (sourced, not run).

# microseconds COMMAND...: runs it (output discarded) and prints its wall time in µs.
microseconds() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    echo $(((end - start) / 1000))
}

# median N...: the middle value (the lower middle of an even count).
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }

# baseline_option SCRIPT "$@": sets $baseline to the portinfo binary `--baseline BINARY` names, or
# to "" without it; anything else is a usage error.
baseline_option() {
    local script=$1
    shift
    baseline=""
    case ${1:-} in
        "") ;;
        --baseline) baseline=${2:?"$script: --baseline needs a portinfo binary"}
                    [ -x "$baseline" ] || { echo "$script: --baseline $baseline is not an executable" >&2; exit 2; } ;;
        *) echo "usage: scripts/$script.sh [--baseline BINARY]" >&2; exit 64 ;;
    esac
}
