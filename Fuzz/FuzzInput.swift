/// One libFuzzer input, read as a harness's choices followed by the bytes under test: the harness
/// takes its choices (flags, piece sizes) from the front and tests the rest, so that libFuzzer's
/// mutations explore both, and a crashing input replays the same run.
struct FuzzInput {
    private(set) var bytes: ArraySlice<UInt8>

    init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        bytes = Array(UnsafeBufferPointer(start: data, count: size))[...]
    }

    /// The next byte, or 0 when the input is used up.
    mutating func takeByte() -> UInt8 {
        bytes.popFirst() ?? 0
    }

    /// Sizes in 1...maxSize, as many as `count` says, each from one byte; they say how to split
    /// the rest of the input into pieces (see `pieces`).
    mutating func takePieceSizes(count: Int, maxSize: Int) -> [Int] {
        (0..<count).compactMap { _ in bytes.popFirst().map { Int($0) % maxSize + 1 } }
    }
}

/// `bytes` cut into pieces of `sizes`, repeated as needed (one byte each when `sizes` is empty):
/// the same bytes as a network or a pipe might deliver them.
func pieces(of bytes: ArraySlice<UInt8>, sizes: [Int]) -> [ArraySlice<UInt8>] {
    var pieces: [ArraySlice<UInt8>] = []
    var start = bytes.startIndex
    while start < bytes.endIndex {
        let size = sizes.isEmpty ? 1 : sizes[pieces.count % sizes.count]
        let end = min(start + size, bytes.endIndex)
        pieces.append(bytes[start..<end])
        start = end
    }
    return pieces
}
