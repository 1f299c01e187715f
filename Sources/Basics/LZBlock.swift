/// LZ77 compression in LZ4's block format, for files the binary carries: the IANA snapshot
/// (1.15 MB of CSV) takes a third of that, and is expanded once, when first read. Each sequence is
/// a token (literal count in its high four bits, match length less four in its low four; 15 says
/// more follows, in bytes of 255 and a last one below), the literals, the match's distance back
/// (two bytes, little-endian, 1...65535) and the rest of its length; the last sequence is
/// literals alone. The decoder checks every count against the input and the size it was told,
/// so a damaged block is refused, never read past.
public enum LZBlock {
    /// Matches shorter than this are written as literals.
    static let minimumMatch = 4
    /// How far back a match may start: the two bytes of its distance.
    static let window = 65_535
    /// Earlier places with the same four bytes tried for each position: more finds longer matches,
    /// and costs the build more (the snapshot: about a third of its size at 16).
    static let candidatesTried = 16

    /// `input`, compressed.
    public static func compress(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 2)
        // LZ4's end rules, kept so that its decoders read these blocks too: the last match ends
        // at least 5 bytes before the end and starts at least 12 bytes before it.
        let lastMatchStart = input.count - 12, lastMatchEnd = input.count - 5
        var anchor = 0
        input.withUnsafeBufferPointer { bytes in
            guard bytes.count > 12 else { return }
            var latest = [Int](repeating: -1, count: 1 << 16)
            var earlier = [Int](repeating: -1, count: bytes.count)
            func hash(_ position: Int) -> Int {
                let word = UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8
                    | UInt32(bytes[position + 2]) << 16 | UInt32(bytes[position + 3]) << 24
                return Int((word &* 2_654_435_761) >> 16)
            }
            func remember(_ position: Int) {
                let key = hash(position)
                earlier[position] = latest[key]
                latest[key] = position
            }
            var position = 0
            while position < lastMatchStart {
                var best = (length: 0, distance: 0)
                var candidate = latest[hash(position)]
                var tried = 0
                while candidate >= 0, position - candidate <= window, tried < candidatesTried {
                    var length = 0
                    while position + length < lastMatchEnd, bytes[candidate + length] == bytes[position + length] { length += 1 }
                    if length > best.length { best = (length, position - candidate) }
                    candidate = earlier[candidate]
                    tried += 1
                }
                remember(position)
                guard best.length >= minimumMatch else {
                    position += 1
                    continue
                }
                writeSequence(literals: bytes[anchor..<position], match: best, to: &output)
                for skipped in (position + 1)..<min(position + best.length, lastMatchStart) { remember(skipped) }
                position += best.length
                anchor = position
            }
        }
        writeSequence(literals: input[anchor...], match: nil, to: &output)
        return output
    }

    /// The bytes `block` holds, which must come to exactly `size`; nil for anything that is not
    /// such a block.
    public static func decompress(_ block: [UInt8], size: Int) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(size)
        var index = 0
        func count(from start: Int) -> Int? {
            var total = start
            guard start == 15 else { return total }
            while index < block.count {
                let byte = block[index]
                index += 1
                total += Int(byte)
                guard total <= size else { return nil }
                if byte != 255 { return total }
            }
            return nil
        }
        while index < block.count {
            let token = block[index]
            index += 1
            guard let literals = count(from: Int(token >> 4)), literals <= block.count - index, literals <= size - output.count else {
                return nil
            }
            output.append(contentsOf: block[index..<(index + literals)])
            index += literals
            if index == block.count { break }
            guard block.count - index >= 2 else { return nil }
            let distance = Int(block[index]) | Int(block[index + 1]) << 8
            index += 2
            guard distance > 0, distance <= output.count, let extra = count(from: Int(token & 15)),
                  extra + minimumMatch <= size - output.count else { return nil }
            // Byte by byte: a match may overlap what it copies (a run).
            let start = output.count - distance
            for offset in 0..<(extra + minimumMatch) { output.append(output[start + offset]) }
        }
        return output.count == size ? output : nil
    }

    private static func writeSequence(literals: some Collection<UInt8>, match: (length: Int, distance: Int)?, to output: inout [UInt8]) {
        let matchExtra = (match?.length ?? minimumMatch) - minimumMatch
        output.append(UInt8(min(literals.count, 15)) << 4 | UInt8(min(matchExtra, 15)))
        if literals.count >= 15 { writeCount(literals.count - 15, to: &output) }
        output.append(contentsOf: literals)
        guard let match else { return }
        output.append(UInt8(match.distance & 0xFF))
        output.append(UInt8(match.distance >> 8))
        if matchExtra >= 15 { writeCount(matchExtra - 15, to: &output) }
    }

    private static func writeCount(_ count: Int, to output: inout [UInt8]) {
        var rest = count
        while rest >= 255 {
            output.append(255)
            rest -= 255
        }
        output.append(UInt8(rest))
    }
}
