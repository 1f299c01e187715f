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
