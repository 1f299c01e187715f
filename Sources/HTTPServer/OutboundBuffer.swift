/// Bytes waiting to be written to a connection's socket, in order.
struct OutboundBuffer {
    private var bytes: [UInt8] = []
    /// How many of `bytes` the socket has taken.
    private var written = 0

    /// Capacity kept once everything is written: an idle connection holds no more than this.
    static let retainedCapacity = 16 * 1024

    /// Bytes not yet written.
    var count: Int { bytes.count - written }
    var isEmpty: Bool { written == bytes.count }

    mutating func append(_ newBytes: some Collection<UInt8>) {
        bytes.append(contentsOf: newBytes)
    }

    /// The encoded response, appended.
    mutating func append(_ response: HTTPResponse, headOnly: Bool, close: Bool, keepAliveHTTP10: Bool, dateField: String) {
        HTTPResponseWriter.write(response, headOnly: headOnly, close: close, keepAliveHTTP10: keepAliveHTTP10,
                                 dateField: dateField, into: &bytes)
    }

    /// The socket took `count` more bytes.
    mutating func consume(_ count: Int) {
        written += count
        if written == bytes.count {
            if bytes.capacity > Self.retainedCapacity { bytes = [] } else { bytes.removeAll(keepingCapacity: true) }
            written = 0
        }
    }

    /// Calls `body` with the bytes not yet written.
    func withPendingBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[written...])) }
    }
}
