/// Bytes received on a connection and not yet consumed by the parser.
struct InboundBuffer {
    private var bytes: [UInt8] = []
    /// Where the unconsumed bytes start.
    private var start = 0

    /// Capacity kept once everything is consumed: an idle connection holds no more than this.
    static let retainedCapacity = 4096

    var count: Int { bytes.count - start }
    var isEmpty: Bool { start == bytes.count }

    mutating func append(_ newBytes: UnsafeRawBufferPointer) {
        // Drop what was consumed before growing, so the buffer never holds more than one read's worth of history.
        if start > 0, start == bytes.count || start >= Self.retainedCapacity {
            bytes.removeSubrange(..<start)
            start = 0
        }
        bytes.append(contentsOf: newBytes)
    }

    mutating func consume(_ count: Int) {
        start += count
        if start == bytes.count {
            if bytes.capacity > Self.retainedCapacity { bytes = [] } else { bytes.removeAll(keepingCapacity: true) }
            start = 0
        }
    }

    /// Calls `body` with the unconsumed bytes.
    func withUnconsumedBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start...])) }
    }
}
