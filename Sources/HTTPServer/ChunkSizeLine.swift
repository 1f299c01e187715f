import Basics

/// A chunk-size line: `1*HEXDIG *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )`
/// (RFC 9112 §7.1.1). Extensions are checked, then ignored.
enum ChunkSizeLine {
    /// The chunk's size; a size that would take the body past `maxBodySize` is refused 413.
    static func size(_ line: UnsafeRawBufferPointer, bodyBytesBefore: Int, maxBodySize: Int) throws(HTTPParseError) -> Int {
        var index = 0
        var size = 0
        while index < line.count, ASCII.isHexDigit(line[index]) {
            size = size * 16 + Int(ASCII.hexDigitValue(line[index])!)
            guard bodyBytesBefore + size <= maxBodySize else {
                throw HTTPParseError(status: 413, detail: "the request body is larger than \(maxBodySize) bytes")
            }
            index += 1
        }
        guard index > 0 else { throw HTTPParseError(status: 400, detail: "a chunk size is not a hexadecimal number") }
        try checkExtensions(line, from: index)
        return size
    }

    private static let badExtension = HTTPParseError(
        status: 400, detail: "a chunk extension is not ;name or ;name=value (RFC 9112 §7.1.1)")

    private static func checkExtensions(_ line: UnsafeRawBufferPointer, from start: Int) throws(HTTPParseError) {
        var index = start
        func skipBlanks() { while index < line.count, HTTPSyntax.isBlank(line[index]) { index += 1 } }
        func token() -> Bool {
            let first = index
            while index < line.count, HTTPSyntax.isTokenCharacter(line[index]) { index += 1 }
            return index > first
        }
        while true {
            skipBlanks()
            guard index < line.count else { return }
            guard line[index] == UInt8(ascii: ";") else { throw badExtension }
            index += 1
            skipBlanks()
            guard token() else { throw badExtension }
            skipBlanks()
            guard index < line.count, line[index] == UInt8(ascii: "=") else { continue }
            index += 1
            skipBlanks()
            if index < line.count, line[index] == UInt8(ascii: "\"") {
                guard let end = HTTPSyntax.quotedStringEnd(line, from: index) else { throw badExtension }
                index = end
            } else {
                guard token() else { throw badExtension }
            }
        }
    }
}
