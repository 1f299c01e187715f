/// Stops the run when `condition` is false, saying why: libFuzzer then saves the input. Not
/// `precondition`, whose message optimized builds leave out.
func invariant(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

/// Bytes as `0a 1f …`, for messages that must show exactly what was read.
func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
}
