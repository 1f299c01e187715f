/// Bytes received on a connection and not yet consumed by the parser.
struct InboundBuffer {
    private(set) var bytes: [UInt8] = []
    /// Where the unconsumed bytes start.
    private(set) var start = 0

    var count: Int { bytes.count - start }
    var isEmpty: Bool { start == bytes.count }

    mutating func append(_ newBytes: UnsafeRawBufferPointer) {
        // Drop what was consumed before growing, so the buffer never holds more than one read's worth of history.
        if start > 0, start == bytes.count || start >= 4096 {
            bytes.removeSubrange(..<start)
            start = 0
        }
        bytes.append(contentsOf: newBytes)
    }

    mutating func consume(_ count: Int) {
        start += count
    }

    /// The unconsumed byte at `offset` from the start.
    subscript(offset: Int) -> UInt8 { bytes[start + offset] }

    /// The unconsumed bytes `range` (offsets from the start) as text; they are ASCII, checked by the caller.
    func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[(start + range.lowerBound)..<(start + range.upperBound)], as: UTF8.self)
    }

    /// The offset of the first `byte` at or after `offset`, or nil.
    func firstIndex(of byte: UInt8, from offset: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            var index = start + offset
            while index < buffer.count {
                if buffer[index] == byte { return index - start }
                index += 1
            }
            return nil
        }
    }
}
